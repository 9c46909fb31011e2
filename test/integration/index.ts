// Entry point of the integration suites, run inside a real VS Code extension host.
// Filled in by the integration runner work; exports run() as VS Code expects.
export async function run(): Promise<void> {
  // Suites are registered in test/integration/suites/*.
}
