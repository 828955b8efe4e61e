import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadWorkflowConfig } from './config/workflow.config';
import { loadWorkflowDefinitions } from './definitions/workflow-definitions';

exitOnStartupFailure(async () => {
  const config = loadWorkflowConfig();
  // A bad definition file stops start-up like bad configuration: exit 78, every problem listed.
  const { definitionsDir, slaOverrideMs } = config.values.workflow;
  const definitions = loadWorkflowDefinitions(definitionsDir, slaOverrideMs === undefined ? {} : { slaOverrideMs });
  await runService({ rootModule: AppModule.forRoot(config, definitions), config });
});
