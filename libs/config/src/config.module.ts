import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { LoadedConfig } from './config.loader';

@Module({})
export class RabtConfigModule {
  /** Provides every fragment's value under its token (KafkaConfig, DatabaseConfig, …), globally. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forRoot(loaded: LoadedConfig<any>): DynamicModule {
    const values = loaded.values as Record<string, unknown>;
    const providers: Provider[] = Object.entries(loaded.fragments).map(([key, f]) => ({
      provide: (f as { token: abstract new () => unknown }).token,
      useValue: values[key],
    }));
    const tokens = providers.map((p) => (p as { provide: abstract new () => unknown }).provide);
    return { module: RabtConfigModule, global: true, providers, exports: tokens };
  }
}
