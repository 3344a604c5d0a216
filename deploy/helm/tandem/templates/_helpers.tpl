{{/*
The release's base name: the release name, prefixed with the chart's name unless it already contains it.
*/}}
{{- define "tandem.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tandem.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* A component's resource name. Call with (dict "root" $ "service" "<service>"). */}}
{{- define "tandem.componentName" -}}
{{- printf "%s-%s" (include "tandem.fullname" .root) .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tandem.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tandem.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{- define "tandem.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tandem.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: tandem
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Labels of resources that belong to no single service (Secret, ServiceAccount, Ingress, topics). */}}
{{- define "tandem.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "tandem.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: tandem
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "tandem.secretName" -}}
{{- default (printf "%s-secrets" (include "tandem.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{- define "tandem.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tandem.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* <registry>/<repositoryPrefix>/<service>:<tag>, as Jib names the image. Call with the component dict. */}}
{{- define "tandem.image" -}}
{{- $image := .root.Values.image -}}
{{- $parts := list -}}
{{- with $image.registry }}{{ $parts = append $parts . }}{{ end -}}
{{- with $image.repositoryPrefix }}{{ $parts = append $parts . }}{{ end -}}
{{- $parts = append $parts .service -}}
{{- printf "%s:%s" (join "/" $parts) (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/*
What each service's code reads, from its src/main/resources/application.properties: the variable of its HTTP
port, and which groups of settings it takes. These are facts of the code, not choices, so they are not values.
*/}}
{{- define "tandem.components" -}}
webhook-ingest:
  portEnv: WEBHOOK_INGEST_PORT
  database: false
  gitlab: false
  identityClient: false
  secrets:
    TANDEM_WEBHOOK_SECRET: webhook-secret
trigger-matcher:
  portEnv: TRIGGER_MATCHER_PORT
  database: true
  gitlab: true
  identityClient: true
  secrets:
    TANDEM_GITLAB_TOKEN: gitlab-token
    TANDEM_INTERNAL_TOKEN: internal-token
identity-service:
  portEnv: IDENTITY_SERVICE_PORT
  database: true
  gitlab: true
  identityClient: false
  secrets:
    TANDEM_GITLAB_TOKEN: gitlab-token
    TANDEM_INTERNAL_TOKEN: internal-token
    TANDEM_ENCRYPTION_KEY: encryption-key
pipeline-launcher:
  portEnv: PIPELINE_LAUNCHER_PORT
  database: true
  gitlab: true
  identityClient: true
  gitlabProxyHostname: true
  aiGatewayUrl: true
  aiGatewayClient: true
  secrets:
    TANDEM_GITLAB_TOKEN: gitlab-token
    TANDEM_INTERNAL_TOKEN: internal-token
result-publisher:
  portEnv: RESULT_PUBLISHER_PORT
  database: true
  gitlab: true
  identityClient: true
  secrets:
    TANDEM_GITLAB_TOKEN: gitlab-token
    TANDEM_INTERNAL_TOKEN: internal-token
ai-gateway:
  portEnv: AI_GATEWAY_PORT
  database: true
  gitlab: false
  identityClient: true
  secrets:
    TANDEM_INTERNAL_TOKEN: internal-token
    TANDEM_ENCRYPTION_KEY: encryption-key
  # A provider without a key answers 503: an organisation may use one provider only.
  optionalSecrets:
    TANDEM_ANTHROPIC_API_KEY: anthropic-api-key
    TANDEM_OPENAI_API_KEY: openai-api-key
{{- end -}}

{{/* Where the runs' agents reach ai-gateway: aiGateway.url, else the public host (https when it has TLS). */}}
{{- define "tandem.aiGatewayUrl" -}}
{{- if .Values.aiGateway.url -}}
{{- .Values.aiGateway.url -}}
{{- else -}}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tlsSecretName))) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* The container port inside the cluster; each service is told it through its own port variable. */}}
{{- define "tandem.containerPort" -}}8080{{- end -}}

{{/* The port of every service's ClusterIP Service. */}}
{{- define "tandem.servicePort" -}}80{{- end -}}

{{/* The environment of one service. Call with the component dict (root, service, component). */}}
{{- define "tandem.env" -}}
{{- $root := .root -}}
{{- $c := .component -}}
- name: {{ $c.portEnv }}
  value: {{ include "tandem.containerPort" $root | quote }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ required "kafka.bootstrapServers is required" $root.Values.kafka.bootstrapServers | quote }}
{{- if $c.database }}
- name: TANDEM_DB_HOST
  value: {{ required "postgresql.host is required" $root.Values.postgresql.host | quote }}
- name: TANDEM_DB_PORT
  value: {{ $root.Values.postgresql.port | quote }}
- name: TANDEM_DB_NAME
  value: {{ $root.Values.postgresql.database | quote }}
- name: TANDEM_DB_USER
  value: {{ $root.Values.postgresql.username | quote }}
- name: TANDEM_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "tandem.secretName" $root }}
      key: db-password
{{- end }}
{{- if $c.gitlab }}
- name: GITLAB_URL
  value: {{ required "gitlab.url is required" $root.Values.gitlab.url | quote }}
{{- end }}
{{- if $c.identityClient }}
- name: IDENTITY_SERVICE_URL
  value: {{ printf "http://%s:%d" (include "tandem.componentName" (dict "root" $root "service" "identity-service")) (include "tandem.servicePort" $root | int) | quote }}
{{- end }}
{{- if $c.gitlabProxyHostname }}
- name: TANDEM_LAUNCHER_GITLAB_PROXY_HOSTNAME
  value: {{ required "ingress.proxyHost is required: the runs reach GitLab through it" $root.Values.ingress.proxyHost | quote }}
{{- end }}
{{- if $c.aiGatewayClient }}
- name: AI_GATEWAY_URL
  value: {{ printf "http://%s:%d" (include "tandem.componentName" (dict "root" $root "service" "ai-gateway")) (include "tandem.servicePort" $root | int) | quote }}
{{- end }}
{{- if $c.aiGatewayUrl }}
- name: TANDEM_AI_GATEWAY_URL
  value: {{ include "tandem.aiGatewayUrl" $root | quote }}
{{- end }}
{{- range $name, $key := $c.secrets }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tandem.secretName" $root }}
      key: {{ $key }}
{{- end }}
{{- range $name, $key := $c.optionalSecrets }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tandem.secretName" $root }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- with $root.Values.tracing }}
{{- if .otlpEndpoint }}
- name: OTEL_SDK_DISABLED
  value: "false"
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .otlpEndpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ .protocol | default "grpc" | quote }}
{{- end }}
{{- end }}
{{- if $root.Values.logs.json }}
- name: QUARKUS_LOG_CONSOLE_JSON
  value: "true"
{{- end }}
- name: JAVA_TOOL_OPTIONS
  value: {{ $root.Values.javaToolOptions | quote }}
{{- range $name, $value := $root.Values.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := .values.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

