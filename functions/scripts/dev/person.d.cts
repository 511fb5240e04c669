export declare const PERSON: {
  givenName: string;
  familyName: string;
  birthDate: { year: number; month: number; day: number };
  documentNumber: string;
  documentExpiresOn: string;
};
export declare const BIRTH_DATE_FORMS: string[];
export declare const YEAR_BESIDE_MONTH: RegExp;
export declare const PERSON_NEEDLES: [string, string][];
