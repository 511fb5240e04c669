// Ends each jest run with one plain line, "<suite>: N passed, N failed", that CI can read.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const projects = new Set(
      results.testResults.map((r) => r.displayName?.name).filter((name) => name !== undefined),
    );
    const label = projects.size === 1 ? [...projects][0] : "jest";
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    console.log(
      `${label}: ${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}`,
    );
  }
}

module.exports = SummaryReporter;
