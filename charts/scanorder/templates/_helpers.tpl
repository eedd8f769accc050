{{/* Labels on every object of the chart. */}}
{{- define "scanorder.labels" -}}
app.kubernetes.io/part-of: scanorder
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Tag of the ScanOrder images: images.tag or the chart's appVersion. */}}
{{- define "scanorder.tag" -}}
{{- .Values.images.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "scanorder.operatorImage" -}}
{{- printf "%s:%s" .Values.operator.image.repository (.Values.operator.image.tag | default (include "scanorder.tag" .)) -}}
{{- end -}}

{{- define "scanorder.extensionImage" -}}
{{- printf "%s:%s" .Values.broker.extension.image.repository (.Values.broker.extension.image.tag | default (include "scanorder.tag" .)) -}}
{{- end -}}

{{- define "scanorder.pullSecrets" -}}
{{- with .Values.images.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}


{{/* The container that mirrors the operator's Secrets into the broker's credential folders. */}}
{{- define "scanorder.brokerSyncContainer" -}}
image: {{ printf "%s:%s" .Values.broker.credentialSync.image.repository .Values.broker.credentialSync.image.tag }}
imagePullPolicy: {{ .Values.images.pullPolicy }}
command: ["bash", "-c", {{ .Files.Get "files/broker-credential-sync.sh" | quote }}, "broker-credential-sync"]
env:
  # kubectl's discovery cache; the root filesystem is read-only
  - name: HOME
    value: /etc/scanorder/.sync-home
  - name: SYNC_OUT
    value: /etc/scanorder
  - name: SYNC_STATIC
    value: /var/run/scanorder/static-credentials
  - name: SYNC_INTERVAL_SECONDS
    value: {{ .Values.broker.credentialSync.intervalSeconds | quote }}
  - name: SYNC_NAMESPACES
    value: {{ join " " .Values.broker.credentialSync.namespaces | quote }}
resources:
  requests:
    cpu: 10m
    memory: 32Mi
  limits:
    memory: 64Mi
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
volumeMounts:
  - name: synced
    mountPath: /etc/scanorder
  - name: credentials
    mountPath: /var/run/scanorder/static-credentials
    readOnly: true
  - name: sync-token
    mountPath: /var/run/secrets/kubernetes.io/serviceaccount
    readOnly: true
{{- end -}}
