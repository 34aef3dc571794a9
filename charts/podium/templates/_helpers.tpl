{{/*
Shared names, labels and per-service settings. Templates loop over the enabled services and call these with
`(dict "root" $ "name" $name)`; `podium.svc` returns the merged settings of one service as YAML.
*/}}

{{- define "podium.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release prefix of every resource name: `<release>-podium`, or the release name when it contains the chart name. */}}
{{- define "podium.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "podium.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Names of the enabled services, sorted. Output: JSON list (use `fromJsonArray`). */}}
{{- define "podium.enabledServices" -}}
{{- $names := list -}}
{{- range $name, $svc := .Values.services -}}
{{- if ne (toString (default dict $svc).enabled) "false" -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- sortAlpha $names | toJson -}}
{{- end -}}

{{/* Merged settings of one service: serviceDefaults overridden by services.<name>. Input: dict root, name. Output: YAML. */}}
{{- define "podium.svc" -}}
{{- $root := .root -}}
{{- $own := index $root.Values.services .name | default dict -}}
{{- $svc := mergeOverwrite (deepCopy $root.Values.serviceDefaults) (deepCopy $own) -}}
{{- $_ := set $svc "name" .name -}}
{{- if not (hasKey $svc "database") -}}{{- $_ := set $svc "database" dict -}}{{- end -}}
{{- $db := $svc.database -}}
{{- if not (hasKey $db "enabled") -}}{{- $_ := set $db "enabled" true -}}{{- end -}}
{{- if not $db.existingSecretKey -}}{{- $_ := set $db "existingSecretKey" "DATABASE_URL" -}}{{- end -}}
{{- if not (hasKey $db "egress") -}}{{- $_ := set $db "egress" list -}}{{- end -}}
{{- if not $svc.port -}}{{- fail (printf "services.%s.port is required" .name) -}}{{- end -}}
{{- toYaml $svc -}}
{{- end -}}

{{/* `<fullname>-<service>`: name of the service's Deployment, Service, ConfigMap, ServiceAccount... Input: dict root, name. */}}
{{- define "podium.componentName" -}}
{{- printf "%s-%s" (include "podium.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels. Input: dict root, name (the component: a service name, or e.g. "migrations", "helm-test"). */}}
{{- define "podium.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podium.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Standard labels. Input: dict root, name. */}}
{{- define "podium.labels" -}}
{{ include "podium.selectorLabels" . }}
helm.sh/chart: {{ include "podium.chart" .root }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: podium
podium.dev/edition: {{ .root.Values.edition.code | quote }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* metadata.annotations content (commonAnnotations), possibly empty. Input: root. */}}
{{- define "podium.annotations" -}}
{{- with .Values.commonAnnotations }}
{{- toYaml . }}
{{- end }}
{{- end -}}

{{/* Image reference of a service. Input: dict root, svc (merged settings). */}}
{{- define "podium.image" -}}
{{- $root := .root -}}
{{- $repo := printf "%s/%s" (trimSuffix "/" $root.Values.image.registry) .svc.name -}}
{{- if .svc.image.digest -}}
{{- printf "%s@%s" $repo .svc.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (.svc.image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* Name of the bundled NATS Service (the NATS chart's fullname). Input: root. */}}
{{- define "podium.natsServiceName" -}}
{{- if contains "nats" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-nats" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* NATS_URL of the services. Input: root. */}}
{{- define "podium.natsUrl" -}}
{{- if .Values.messaging.url -}}
{{- .Values.messaging.url -}}
{{- else if .Values.nats.enabled -}}
{{- printf "nats://%s:%d" (include "podium.natsServiceName" .) (int .Values.messaging.port) -}}
{{- else -}}
{{- fail "messaging.url is required when nats.enabled is false" -}}
{{- end -}}
{{- end -}}

{{/* The generated NATS permissions (files/nats-permissions.json) as a dict. Input: root. */}}
{{- define "podium.natsPermissions" -}}
{{- .Files.Get "files/nats-permissions.json" -}}
{{- end -}}

{{/*
The accounts of enabled services that have a NATS account of their own (accounts.isolated of the permissions file:
results-distribution), as the permissions file gives them. Input: root. Output: JSON list (use `fromJsonArray`).
*/}}
{{- define "podium.natsIsolatedAccounts" -}}
{{- $enabled := include "podium.enabledServices" . | fromJsonArray -}}
{{- $out := list -}}
{{- range (include "podium.natsPermissions" . | fromJson).accounts.isolated -}}
{{- if has .service $enabled }}{{ $out = append $out . }}{{ end -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{/* CloudNativePG Cluster name of a service's database. Input: dict root, name. */}}
{{- define "podium.dbClusterName" -}}
{{- printf "%s-db" (include "podium.componentName" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* Database name and owner inside the cluster ('results-ingest' -> 'results_ingest'). Input: service name. */}}
{{- define "podium.dbName" -}}
{{- . | replace "-" "_" -}}
{{- end -}}

{{/* Secret and key holding DATABASE_URL. Input: dict root, svc. Output: YAML {name, key}. */}}
{{- define "podium.databaseSecretRef" -}}
{{- if .root.Values.postgresql.enabled -}}
name: {{ printf "%s-app" (include "podium.dbClusterName" (dict "root" .root "name" .svc.name)) }}
key: uri
{{- else -}}
name: {{ required (printf "services.%s.database.existingSecret is required when postgresql.enabled is false" .svc.name) .svc.database.existingSecret }}
key: {{ .svc.database.existingSecretKey }}
{{- end -}}
{{- end -}}

{{/* Plain (non-secret) environment of a service, as a name -> value map. Input: dict root, svc. Output: YAML. */}}
{{- define "podium.plainEnv" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $env := dict
  "NODE_ENV" "production"
  "SERVICE_NAME" .svc.name
  "HOST" "0.0.0.0"
  "PORT" (toString .svc.port)
  "LOG_LEVEL" $v.logLevel
  "HTTP_BODY_LIMIT" $v.httpBodyLimit
  "NATS_URL" (include "podium.natsUrl" $root)
  "NATS_STREAM_REPLICAS" (toString $v.messaging.streamReplicas)
  "AUTH_MODE" $v.auth.mode
  "EDITION_CODE" $v.edition.code
  "TZ" $v.edition.timeZone
  "LOCALE" $v.edition.locale
-}}
{{- if $v.messaging.auth.enabled -}}
{{- $_ := set $env "NATS_USER" .svc.name -}}
{{- /* In an account of its own, the streams it follows are mirrors the jetstream-admin Job made: it declares none. */ -}}
{{- range include "podium.natsIsolatedAccounts" $root | fromJsonArray -}}
{{- if eq .service $.svc.name }}{{ $_ := set $env "NATS_DECLARE_STREAMS" "false" }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if eq $v.auth.mode "jwks" -}}
{{- $_ := set $env "AUTH_JWKS_URL" (required "auth.jwksUrl is required when auth.mode is jwks" $v.auth.jwksUrl) -}}
{{- end -}}
{{- if $v.tracing.enabled -}}
{{- $_ := set $env "OTEL_TRACES_ENABLED" "true" -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" (required "tracing.endpoint is required when tracing.enabled" $v.tracing.endpoint) -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER" "parentbased_traceidratio" -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER_ARG" (toString $v.tracing.samplingRatio) -}}
{{- end -}}
{{- with $v.auth.issuer }}{{ $_ := set $env "AUTH_ISSUER" . }}{{ end -}}
{{- with $v.auth.audience }}{{ $_ := set $env "AUTH_AUDIENCE" . }}{{ end -}}
{{- range $k, $val := .svc.env -}}{{- $_ := set $env $k (toString $val) -}}{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* Secret-backed environment of a service (valueFrom refs only, never values). Input: dict root, svc. Output: YAML list. */}}
{{- define "podium.secretEnv" -}}
{{- $root := .root -}}
{{- if .svc.database.enabled }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- include "podium.databaseSecretRef" . | nindent 6 }}
{{- end }}
{{- if $root.Values.messaging.auth.enabled }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.messaging.auth.existingSecret }}
      key: {{ include "podium.natsSecretKey" .svc.name }}
{{- end }}
{{- if eq $root.Values.auth.mode "public-key" }}
- name: AUTH_PUBLIC_KEY
  valueFrom:
    configMapKeyRef:
      name: {{ required "auth.publicKey.configMapName is required when auth.mode is public-key" $root.Values.auth.publicKey.configMapName }}
      key: {{ $root.Values.auth.publicKey.key }}
{{- end }}
{{- range $name, $ref := .svc.extraSecretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secretName }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{/*
The partners of messaging.partners with what the chart derives for each: name, user, secretKey, durable, inboxPrefix.
Fails on a duplicate name or secret key. Input: root. Output: JSON list (use `fromJsonArray`).
*/}}
{{- define "podium.partners" -}}
{{- $perms := include "podium.natsPermissions" . | fromJson -}}
{{- $t := $perms.partner -}}
{{- $out := list -}}
{{- $seen := dict -}}
{{- range $p := .Values.messaging.partners -}}
{{- $fill := $p.name -}}
{{- $key := $p.secretKey | default (include "podium.natsSecretKey" (printf "partner-%s" $p.name)) -}}
{{- if hasKey $seen (printf "name:%s" $p.name) -}}{{- fail (printf "messaging.partners: %s is listed twice" $p.name) -}}{{- end -}}
{{- if hasKey $seen (printf "key:%s" $key) -}}{{- fail (printf "messaging.partners: secret key %s is used twice" $key) -}}{{- end -}}
{{- $_ := set $seen (printf "name:%s" $p.name) true -}}
{{- $_ := set $seen (printf "key:%s" $key) true -}}
{{- $out = append $out (dict "name" $p.name "user" (replace "{partner}" $fill $t.user) "secretKey" $key "durable" (replace "{partner}" $fill $t.durable) "inboxPrefix" (replace "{partner}" $fill $t.inboxPrefix)) -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{/* Key of a NATS user's password in the credentials Secret ('results-ingest' -> 'RESULTS_INGEST'). */}}
{{- define "podium.natsSecretKey" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{/* Pod-level securityContext. Input: root. */}}
{{- define "podium.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level securityContext: non-root, read-only root filesystem, no capabilities, no escalation. */}}
{{- define "podium.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Hook phases of a service's migration Job. Before install/upgrade ("pre-install,pre-upgrade") whenever the database
already exists: an external database, or a CloudNativePG cluster whose app Secret is found (`lookup`). A cluster this
chart is about to create cannot be migrated before it exists, so for a new one (first install, or a service added by
an upgrade) the Job runs after the release's resources: "post-install,post-upgrade" (no older code runs against it).
`helm template` (no cluster) renders the latter for chart-managed databases. Input: dict root, svc.
*/}}
{{- define "podium.migrationHook" -}}
{{- if not .root.Values.postgresql.enabled -}}
pre-install,pre-upgrade
{{- else -}}
{{- $secret := printf "%s-app" (include "podium.dbClusterName" (dict "root" .root "name" .svc.name)) -}}
{{- if lookup "v1" "Secret" .root.Release.Namespace $secret -}}
pre-install,pre-upgrade
{{- else -}}
post-install,post-upgrade
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Image of the helm test pods. Input: root. */}}
{{- define "podium.testImage" -}}
{{- if .Values.tests.image -}}
{{- .Values.tests.image -}}
{{- else -}}
{{- $names := include "podium.enabledServices" . | fromJsonArray -}}
{{- $first := required "tests need an enabled service (or tests.image)" (first $names) -}}
{{- $svc := include "podium.svc" (dict "root" . "name" $first) | fromYaml -}}
{{- include "podium.image" (dict "root" . "svc" $svc) -}}
{{- end -}}
{{- end -}}

{{/* NetworkPolicy egress rule for the cluster DNS. Input: root. */}}
{{- define "podium.dnsEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.namespaceSelector | nindent 10 }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.podSelector | nindent 10 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{/* NetworkPolicy egress rule for NATS. Input: root. */}}
{{- define "podium.natsEgress" -}}
{{- if .Values.nats.enabled }}
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: nats
          app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: {{ .Values.messaging.port }}
      protocol: TCP
{{- else }}
- {{- with .Values.messaging.egress }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: {{ .Values.messaging.port }}
      protocol: TCP
{{- end }}
{{- end -}}

{{/* NetworkPolicy egress rule to the OpenTelemetry collector (tracing.enabled): the endpoint's port, tracing.egress peers. */}}
{{- define "podium.tracingEgress" -}}
{{- $url := urlParse .Values.tracing.endpoint -}}
{{- $hostPort := splitList ":" $url.host -}}
{{- $port := ternary (last $hostPort) (ternary "443" "80" (eq $url.scheme "https")) (gt (len $hostPort) 1) -}}
- {{- with .Values.tracing.egress }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: {{ $port | int }}
      protocol: TCP
{{- end -}}

{{/* NetworkPolicy egress rule for a service's PostgreSQL. Input: dict root, svc. */}}
{{- define "podium.databaseEgress" -}}
{{- if .root.Values.postgresql.enabled }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ include "podium.dbClusterName" (dict "root" .root "name" .svc.name) }}
  ports:
    - port: 5432
      protocol: TCP
{{- else }}
- {{- with .svc.database.egress }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: 5432
      protocol: TCP
{{- end }}
{{- end -}}

{{/* NATS users of auth.conf (user, password variable, permissions). Input: list of UserPermissions. */}}
{{- define "podium.natsUsers" -}}
{{- range . }}
{
  user: {{ .user | toRawJson }}
  password: $PODIUM_NATS_{{ .secretKey }}
  permissions: {
    publish: { allow: {{ .publish.allow | toRawJson }}{{ if .publish.deny }}, deny: {{ .publish.deny | toRawJson }}{{ end }} }
    subscribe: { allow: {{ .subscribe.allow | toRawJson }}{{ if .subscribe.deny }}, deny: {{ .subscribe.deny | toRawJson }}{{ end }} }
    {{- if .allowResponses }}
    allow_responses: { max: 1 }
    {{- end }}
  }
}
{{- end }}
{{- end -}}
