import { identitySchema, metadataUid, projectIdentity } from "../identity";

// Shaped like Passbase's API answer, personal data included.
const identity = identitySchema.parse({
  id: "b76e244e-26a3-49ef-9c72-3e599bf0b5f2",
  status: "approved",
  score: 0.87,
  created: 1582628711,
  updated: 1582628999,
  owner: { email: "jane.doe@example.com", first_name: "Jane", last_name: "Doe" },
  resources: [
    {
      type: "PASSPORT",
      datapoints: { document_number: "X1234567", date_of_birth: "1990-01-01", first_names: "Jane" },
    },
    { type: "PASSPORT", datapoints: {} },
    { type: "DRIVERS_LICENSE", datapoints: { document_number: "D999" } },
  ],
  metadata: { uid: "user-1" },
  watchlist: { clean: true },
});

describe("projectIdentity", () => {
  it("keeps status, score, resource types and metadata, and nothing else", () => {
    const projection = projectIdentity(identity, false);
    expect(projection).toEqual({
      status: "approved",
      score: 0.87,
      resourceTypes: ["PASSPORT", "DRIVERS_LICENSE"],
      metadata: { uid: "user-1" },
    });
    const text = JSON.stringify(projection);
    for (const personal of [
      "X1234567",
      "D999",
      "1990-01-01",
      "Jane",
      "Doe",
      "jane.doe@example.com",
    ]) {
      expect(text).not.toContain(personal);
    }
  });

  it("adds the owner's name and e-mail only when the operator opts in", () => {
    expect(projectIdentity(identity, true).owner).toEqual({
      email: "jane.doe@example.com",
      firstName: "Jane",
      lastName: "Doe",
    });
    expect(JSON.stringify(projectIdentity(identity, true))).not.toContain("X1234567");
  });

  it("copes with an identity that has no owner, resources or metadata", () => {
    const bare = identitySchema.parse({ id: "x", status: "pending" });
    expect(projectIdentity(bare, true)).toEqual({
      status: "pending",
      score: null,
      resourceTypes: [],
      metadata: null,
      owner: { email: null, firstName: null, lastName: null },
    });
  });
});

describe("metadataUid", () => {
  it("reads the app's user id from the configured field", () => {
    expect(metadataUid(identity, "uid")).toBe("user-1");
    expect(metadataUid(identity, "userId")).toBeUndefined();
  });
  // Whether a string can be a uid is decided where it is used (isUsableUid).
  it.each([[{ uid: 42 }], [{ uid: "" }], [null]])("ignores %j", (metadata) => {
    expect(
      metadataUid(identitySchema.parse({ id: "x", status: "approved", metadata }), "uid"),
    ).toBeUndefined();
  });
});
