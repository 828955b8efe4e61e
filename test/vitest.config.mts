import { rabtVitestConfig } from '../vitest.shared.mts';

// Cross-service flows (e2e/) and checks of the workspace itself (workspace/): all integration tier.
export default rabtVitestConfig(import.meta.dirname, { unit: ['workspace/**/*.spec.ts'], int: ['workspace/**/*.int-spec.ts', 'e2e/**/*.int-spec.ts'] });
