import { databaseFragment, httpFragment, kafkaFragment, loadConfig, loggingFragment } from '@rabt/config';

export const GATEWAY_SERVICE = 'gateway';

/** Everything the gateway reads from its environment, validated once at start. */
export const gatewayConfigFragments = () => ({
  http: httpFragment('GATEWAY_PORT', 8080),
  logging: loggingFragment(GATEWAY_SERVICE),
  kafka: kafkaFragment(`rabt-${GATEWAY_SERVICE}`),
  database: databaseFragment(),
});

export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig(GATEWAY_SERVICE, gatewayConfigFragments(), env);
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
