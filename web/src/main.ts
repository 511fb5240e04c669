// The user's side of the verification backend: sign in, start a verification at one of the
// deployment's providers, go through the provider's flow, and watch the outcome arrive live in
// users/{uid} and the identityVerified claim. It holds no secret: everything here is client config.
import { initializeApp, type FirebaseOptions } from "firebase/app";
import {
  CustomProvider,
  initializeAppCheck,
  ReCaptchaEnterpriseProvider,
} from "firebase/app-check";
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  type User,
} from "firebase/auth";
import {
  connectFirestoreEmulator,
  doc,
  getFirestore,
  onSnapshot,
  type Unsubscribe,
} from "firebase/firestore";
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
} from "firebase/functions";
import { isBrowserUrl } from "../../functions/src/providers/browser-url";
import {
  linkedByUser,
  openPassbase,
  openProviderFlow,
  passbaseReturned,
  passbaseStandInPage,
  standInPage,
  type FlowConfig,
  type Started,
} from "./flows";
import { describe, factLines, type Shown } from "./state";

/** The client's own config (web/static/config.json): what the app may know, nothing secret. */
interface ClientConfig extends FlowConfig {
  /** The deployment's providers that start verifications, as `startVerification` names them. */
  providers: { id: string; name: string }[];
  /** reCAPTCHA Enterprise's site key for App Check in production; empty: App Check is off. */
  recaptchaEnterpriseSiteKey: string;
  /** On the local stack: the emulators' hosts and the API stand-in's provider pages. */
  local?: {
    auth: string;
    firestore: string;
    functions: string;
    providerPages: string;
    /** "stand-in" (the default): every provider's flow is the stand-in's page; "provider":
     *  the providers' own SDKs and pages, as in production. */
    flows?: "stand-in" | "provider";
  };
}

/**
 * Leaves for a provider's page. The server checked every URL it hands over; this checks again,
 * so that a `javascript:` URL never runs in this origin, where the Auth session lives.
 */
function navigate(url: string) {
  if (!isBrowserUrl(url)) {
    throw new Error("the page to open is not an https address");
  }
  location.assign(url);
}

/** An element of the page, by id (the page and this code are shipped together). */
const $ = (id: string) => document.getElementById(id) as HTMLElement;

function showError(message: string | undefined) {
  const error = $("error");
  error.hidden = message === undefined;
  error.textContent = message ?? "";
}

/** A JWT-shaped App Check token the Functions emulator decodes without verifying it. */
function localAppCheckToken() {
  const part = (value: object) =>
    btoa(JSON.stringify(value))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "local-web-app", iat: now, exp: now + 3600 })}.local`;
}

async function main() {
  // Hosting serves the project's web config here, on the emulator too (a demo- project's).
  const options = (await (
    await fetch("/__/firebase/init.json")
  ).json()) as FirebaseOptions;
  const config = (await (await fetch("/config.json")).json()) as ClientConfig;
  const local =
    config.local && ["localhost", "127.0.0.1"].includes(location.hostname);
  // Locally every provider's flow is the API stand-in's page, unless the config asks for theirs.
  const standIn = local && config.local?.flows !== "provider";
  const app = initializeApp({ apiKey: "local", ...options });

  if (local) {
    // The debug provider needs Google's servers; the emulator decodes any token, so a custom
    // provider hands out a local one.
    initializeAppCheck(app, {
      provider: new CustomProvider({
        getToken: () =>
          Promise.resolve({
            token: localAppCheckToken(),
            expireTimeMillis: Date.now() + 3_600_000,
          }),
      }),
      isTokenAutoRefreshEnabled: true,
    });
  } else if (config.recaptchaEnterpriseSiteKey) {
    initializeAppCheck(app, {
      provider: new ReCaptchaEnterpriseProvider(
        config.recaptchaEnterpriseSiteKey,
      ),
      isTokenAutoRefreshEnabled: true,
    });
  }
  const auth = getAuth(app);
  const db = getFirestore(app);
  const functions = getFunctions(app, "us-central1");
  if (local && config.local) {
    connectAuthEmulator(auth, `http://${config.local.auth}`, {
      disableWarnings: true,
    });
    const [firestoreHost = "", firestorePort = ""] =
      config.local.firestore.split(":");
    connectFirestoreEmulator(db, firestoreHost, Number(firestorePort));
    const [functionsHost = "", functionsPort = ""] =
      config.local.functions.split(":");
    connectFunctionsEmulator(functions, functionsHost, Number(functionsPort));
  }

  /** Links a key a provider's client SDK handed over (Passbase) to the signed-in user. */
  const link = async (key: string) => {
    await httpsCallable(functions, "linkVerification")({ key });
  };
  // Back from the local Passbase page with the key it made (and this page's state), once.
  let returnedKey = passbaseReturned();

  const select = $("provider") as HTMLSelectElement;
  for (const provider of config.providers)
    select.add(new Option(provider.name, provider.id));

  // What is watched now: the user's record, and the verification it shows.
  let stopRecord: Unsubscribe | undefined;
  let stopVerification: Unsubscribe | undefined;
  const stopWatching = () => {
    stopRecord?.();
    stopVerification?.();
    stopRecord = stopVerification = undefined;
  };

  /** Shows a state, and the claim as the user's ID token carries it (refreshed). */
  async function render(user: User, shown: Shown) {
    const status = $("status");
    status.dataset.state = shown.state;
    $("status-title").textContent = shown.title;
    $("status-text").textContent = shown.text;
    $("start-button").textContent = shown.action;
    const { claims } = await user.getIdTokenResult(true);
    const claim = claims.identityVerified;
    const claimText = $("claim");
    claimText.dataset.claim =
      claim === true ? "true" : claim === false ? "false" : "none";
    claimText.textContent =
      claim === true
        ? "Your account is marked as verified."
        : claim === false
          ? "Your account is not marked as verified."
          : "";
    // The age claim an app's rules and server read (ISO 18013-5's name), as the token carries it.
    const over18 = claims.age_over_18;
    const ageClaim = $("age-claim");
    // By name: `dataset.ageOver18` would be `data-age-over18`.
    ageClaim.setAttribute(
      "data-age-over-18",
      over18 === true ? "true" : over18 === false ? "false" : "none",
    );
    ageClaim.textContent =
      over18 === true
        ? "Your account is marked as over 18."
        : over18 === false
          ? "Your account is marked as not over 18."
          : "";
  }

  /** Watches users/{uid} and the verification it shows, live: never the redirect's query. */
  function watch(user: User) {
    stopWatching();
    let record: Record<string, unknown> | undefined;
    let shownKey: string | undefined;
    let canRetry = false;
    const update = () => {
      const facts = $("facts");
      facts.replaceChildren(
        ...factLines(record).map((line) => {
          const item = document.createElement("li");
          item.textContent = line;
          return item;
        }),
      );
      facts.hidden = facts.childElementCount === 0;
      void render(user, describe(record, canRetry));
    };
    stopRecord = onSnapshot(doc(db, "users", user.uid), (snapshot) => {
      record = snapshot.data();
      const key = (record?.verification as { key?: string } | undefined)?.key;
      // A new verification shown: watch it instead (its canRetry), once.
      if (key !== shownKey) {
        stopVerification?.();
        stopVerification = undefined;
        shownKey = key;
        canRetry = false;
        if (key) {
          stopVerification = onSnapshot(
            doc(db, "verifications", key),
            (verification) => {
              canRetry = verification.get("canRetry") === true;
              update();
            },
          );
        }
      }
      update();
    });
  }

  onAuthStateChanged(auth, (user) => {
    $("loading").hidden = true;
    $("signed-out").hidden = user !== null;
    $("signed-in").hidden = user === null;
    stopWatching();
    if (user) {
      $("who").textContent = user.email ?? user.uid;
      watch(user);
      if (returnedKey) {
        link(returnedKey).catch((error: unknown) => {
          showError(
            `Could not link the verification: ${(error as Error).message}`,
          );
        });
        returnedKey = undefined;
      }
    }
  });

  ($("sign-in") as HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const email = ($("email") as HTMLInputElement).value;
    const password = ($("password") as HTMLInputElement).value;
    const action = (event.submitter as HTMLButtonElement | null)?.value;
    showError(undefined);
    (action === "sign-up"
      ? createUserWithEmailAndPassword(auth, email, password)
      : signInWithEmailAndPassword(auth, email, password)
    ).catch((error: unknown) => {
      showError(`Could not sign in: ${(error as Error).message}`);
    });
  });

  $("sign-out").addEventListener("click", () => void signOut(auth));

  ($("start") as HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    showError(undefined);
    const provider = select.value;
    if (linkedByUser(provider)) {
      // No start on the server: the provider's client SDK creates the verification.
      if (standIn && config.local) {
        navigate(passbaseStandInPage(config.local.providerPages));
        return;
      }
      openPassbase({
        config,
        container: $("provider-flow"),
        fail: showError,
        link,
      }).catch((error: unknown) => {
        showError(`Could not open Passbase: ${(error as Error).message}`);
      });
      return;
    }
    // A session costs money: each start spends one limited-use App Check token.
    const start = httpsCallable<{ provider: string }, Started>(
      functions,
      "startVerification",
      { limitedUseAppCheckTokens: true },
    );
    const restart = async () => (await start({ provider })).data;
    restart()
      .then(async (started) => {
        if (standIn && config.local) {
          navigate(standInPage(provider, started, config.local.providerPages));
          return;
        }
        await openProviderFlow(provider, started, {
          config,
          container: $("provider-flow"),
          restart,
          go: navigate,
          fail: showError,
        });
      })
      .catch((error: unknown) => {
        showError(
          `Could not start the verification: ${(error as Error).message}`,
        );
      });
  });
}

main().catch((error: unknown) => {
  showError(`The app could not load: ${(error as Error).message}`);
});
