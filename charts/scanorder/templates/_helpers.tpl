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
