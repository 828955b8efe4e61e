import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseConfig, LoggingConfig } from '@rabt/config';
import { ReadinessIndicator } from '@rabt/observability';
import { dataSourceOptions } from './data-source.factory';

@Injectable()
export class DatabaseReadinessIndicator extends ReadinessIndicator {
  readonly key = 'database';

  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {
    super();
  }

  async isReady() {
    const session = this.indicators.check(this.key);
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Postgres did not answer within 2500 ms')), 2500);
        }),
      ]).finally(() => clearTimeout(timer));
      return session.up();
    } catch (e) {
      return session.down({ message: (e as Error).message });
    }
  }
}

@Module({})
export class PersistenceModule {
  /** Global TypeORM connection for the app; repositories come from TypeOrmModule.forFeature. */
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TerminusModule,
        TypeOrmModule.forRootAsync({
          inject: [DatabaseConfig, LoggingConfig],
          useFactory: (db: DatabaseConfig, logging: LoggingConfig) => ({
            ...dataSourceOptions(db, `rabt-${logging.service}`),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: [DatabaseReadinessIndicator],
      exports: [DatabaseReadinessIndicator, TypeOrmModule],
    };
  }
}
