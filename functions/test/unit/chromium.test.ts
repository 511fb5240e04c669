import { advice, findChromium, setupSteps } from "../../scripts/web/chromium.cjs";

// The order the browser suite, its config and the web bench look for Chromium in, with fake
// paths: only those in `present` exist.
const find = (present: string[], env: Record<string, string> = {}, platform = "linux") =>
  findChromium({
    env,
    platform,
    playwrightPath: "/home/dev/.cache/ms-playwright/chromium-1200/chrome-linux/chrome",
    exists: (path) => present.includes(path),
  });

const PLAYWRIGHT = "/home/dev/.cache/ms-playwright/chromium-1200/chrome-linux/chrome";
const DEBIAN = `ID=debian\nVERSION_ID="12"\n`;
const UBUNTU = `ID=ubuntu\nID_LIKE=debian\n`;

describe("finding Chromium", () => {
  it("takes CHROMIUM_PATH first, over every other browser present", () => {
    const found = find(["/opt/my/chrome", PLAYWRIGHT, "/usr/bin/chromium"], {
      CHROMIUM_PATH: "/opt/my/chrome",
    });
    expect(found).toEqual({ path: "/opt/my/chrome", from: "CHROMIUM_PATH" });
  });

  it("does not look elsewhere when CHROMIUM_PATH names nothing", () => {
    const found = find([PLAYWRIGHT, "/usr/bin/chromium"], { CHROMIUM_PATH: "/nope" });
    expect(found).toEqual({ tried: ["CHROMIUM_PATH=/nope (no such file)"] });
  });

  it("then takes Playwright's installed browser, over the system's", () => {
    expect(find([PLAYWRIGHT, "/usr/bin/chromium"])).toEqual({
      path: PLAYWRIGHT,
      from: "Playwright's browser",
    });
  });

  it("then the system's Chromium, then Chrome, in the usual places on Linux", () => {
    expect(find(["/usr/bin/chromium", "/usr/bin/google-chrome"]).path).toBe("/usr/bin/chromium");
    expect(find(["/usr/bin/chromium-browser", "/usr/bin/google-chrome"]).path).toBe(
      "/usr/bin/chromium-browser",
    );
    expect(find(["/usr/bin/google-chrome-stable"]).path).toBe("/usr/bin/google-chrome-stable");
  });

  it("on macOS, Chromium.app, then Google Chrome.app", () => {
    const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    const chromium = "/Applications/Chromium.app/Contents/MacOS/Chromium";
    expect(find([chrome, chromium], {}, "darwin").path).toBe(chromium);
    expect(find([chrome, "/usr/bin/chromium"], {}, "darwin")).toEqual({
      path: chrome,
      from: "the system",
    });
  });

  it("then a Chromium on the PATH", () => {
    const found = find(["/home/dev/bin/chromium-browser"], {
      PATH: "/usr/local/bin:/home/dev/bin",
    });
    expect(found).toEqual({ path: "/home/dev/bin/chromium-browser", from: "the PATH" });
  });

  it("says every place it looked when there is none", () => {
    const found = find([], { PATH: "/bin" });
    expect(found.path).toBeUndefined();
    expect(found.tried?.[0]).toBe(PLAYWRIGHT);
    expect(found.tried).toContain("/usr/bin/chromium");
    expect(found.tried).toContain("/bin/chromium");
  });
});

describe("setting Chromium up", () => {
  const whats = (options: Parameters<typeof setupSteps>[0]) =>
    setupSteps(options).map((step) => step.what);

  it("tries Playwright's download, then the distribution's package on Debian as root", () => {
    expect(whats({ platform: "linux", osRelease: DEBIAN, isRoot: true })).toEqual([
      "npx playwright install chromium",
      "apt-get install -y chromium",
    ]);
    expect(whats({ platform: "linux", osRelease: UBUNTU, isRoot: true })).toEqual([
      "npx playwright install chromium",
      "apt-get install -y chromium-browser",
    ]);
  });

  it("installs no package without root, elsewhere than Debian or Ubuntu, or on macOS", () => {
    const only = ["npx playwright install chromium"];
    expect(whats({ platform: "linux", osRelease: DEBIAN, isRoot: false })).toEqual(only);
    expect(whats({ platform: "linux", osRelease: "ID=fedora\n", isRoot: true })).toEqual(only);
    expect(whats({ platform: "darwin", osRelease: "", isRoot: true })).toEqual(only);
  });

  it("tells each OS what to run by hand", () => {
    expect(advice("darwin", "")).toMatch(/^On macOS: `npx playwright install chromium`/);
    expect(advice("linux", DEBIAN)).toMatch(/`apt-get install -y chromium`/);
    expect(advice("linux", "ID=fedora\n")).toMatch(/package manager/);
  });
});
