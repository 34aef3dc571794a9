/**
 * Strict schemas (unknown fields rejected) of the custom resources Podium renders, limited to the fields it uses.
 * Written from the CRD references: CloudNativePG 1.2x `postgresql.cnpg.io/v1` Cluster
 * (https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/) and Prometheus operator
 * `monitoring.coreos.com/v1` ServiceMonitor / PodMonitor / PrometheusRule (https://prometheus-operator.dev/docs/api-reference/api/).
 * A field Podium starts using must be added here, after checking it in the reference.
 */
import { z } from 'zod';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);
const labels = z.record(z.string(), z.string());
const metadata = z.strictObject({
  name,
  namespace: name.optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});
const quantity = z.union([z.string().regex(/^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/), z.number()]);
const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});
const duration = z.string().regex(/^[0-9]+(ms|s|m|h)$/);
const labelSelector = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
});
const namespaceSelector = z.strictObject({ any: z.boolean().optional(), matchNames: z.array(name).optional() });

export const cnpgClusterSchema = z.strictObject({
  apiVersion: z.literal('postgresql.cnpg.io/v1'),
  kind: z.literal('Cluster'),
  metadata,
  spec: z.strictObject({
    instances: z.int().min(1),
    imageName: z.string().min(1).optional(),
    primaryUpdateStrategy: z.enum(['unsupervised', 'supervised']).optional(),
    enableSuperuserAccess: z.boolean().optional(),
    bootstrap: z
      .strictObject({
        initdb: z.strictObject({ database: z.string().regex(/^[a-z_][a-z0-9_]*$/), owner: z.string().regex(/^[a-z_][a-z0-9_]*$/) }),
      })
      .optional(),
    storage: z.strictObject({ size: z.string().regex(/^[0-9]+(Mi|Gi|Ti)$/), storageClass: z.string().min(1).optional() }),
    resources: resources.optional(),
    postgresql: z.strictObject({ parameters: z.record(z.string(), z.string()) }).optional(),
    monitoring: z.strictObject({ enablePodMonitor: z.boolean() }).optional(),
    affinity: z.strictObject({ enablePodAntiAffinity: z.boolean().optional(), topologyKey: z.string().optional() }).optional(),
  }),
});

const endpointCommon = {
  path: z.string().startsWith('/').optional(),
  interval: duration.optional(),
  scrapeTimeout: duration.optional(),
  honorLabels: z.boolean().optional(),
};

export const serviceMonitorSchema = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('ServiceMonitor'),
  metadata,
  spec: z.strictObject({
    namespaceSelector: namespaceSelector.optional(),
    selector: labelSelector,
    endpoints: z.array(z.strictObject({ port: z.string().min(1), ...endpointCommon })).min(1),
    targetLabels: z.array(z.string()).optional(),
  }),
});

export const podMonitorSchema = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PodMonitor'),
  metadata,
  spec: z.strictObject({
    namespaceSelector: namespaceSelector.optional(),
    selector: labelSelector,
    podMetricsEndpoints: z.array(z.strictObject({ port: z.string().min(1), ...endpointCommon })).min(1),
  }),
});

/** A Prometheus duration (`model.Duration`): units from years to milliseconds, largest first, e.g. `1h30m`, `5m`. */
const promDuration = z.string().regex(/^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$/).refine((d) => d !== '', 'empty duration');
/** Label names as Prometheus takes them (no `__` prefix: reserved). */
const promLabels = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).refine((n) => !n.startsWith('__'), 'reserved label name'), z.string());
/** `monitoring.coreos.com/v1` Rule: a recording rule (record) or an alerting rule (alert), never both. */
const promRule = z
  .strictObject({
    record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/).optional(),
    alert: z.string().min(1).optional(),
    expr: z.union([z.string().min(1), z.int()]),
    for: promDuration.optional(),
    keep_firing_for: promDuration.optional(),
    labels: promLabels.optional(),
    annotations: promLabels.optional(),
  })
  .refine((r) => (r.record === undefined) !== (r.alert === undefined), 'a rule has either record or alert')
  .refine((r) => r.record === undefined || (r.for === undefined && r.annotations === undefined), 'a recording rule has no for or annotations');

export const prometheusRuleSchema = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PrometheusRule'),
  metadata,
  spec: z.strictObject({
    groups: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          interval: promDuration.optional(),
          limit: z.int().min(0).optional(),
          rules: z.array(promRule).min(1),
        }),
      )
      .min(1)
      .refine((groups) => new Set(groups.map((g) => g.name)).size === groups.length, 'group names must be unique'),
  }),
});

/** Schemas by `<apiVersion>/<kind>`. */
export const CRD_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'postgresql.cnpg.io/v1/Cluster': cnpgClusterSchema,
  'monitoring.coreos.com/v1/ServiceMonitor': serviceMonitorSchema,
  'monitoring.coreos.com/v1/PodMonitor': podMonitorSchema,
  'monitoring.coreos.com/v1/PrometheusRule': prometheusRuleSchema,
};
