import { rabtVitestConfig } from '../../vitest.shared.mts';

export default rabtVitestConfig(import.meta.dirname);
