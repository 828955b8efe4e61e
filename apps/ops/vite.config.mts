import { rabtServiceBuildConfig } from '../../vitest.shared.mts';

export default rabtServiceBuildConfig(import.meta.dirname, 'ops');
