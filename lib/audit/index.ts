export { GoldenPathAudit, GoldenPathAuditOptions, AuditWaiver, enableAudit, bundleFromScope, bundleFromStack, resolveAuditLogLevel, auditFailureAdvice, LOG_LEVEL_ENV_VAR } from './aspect';
export { bundleFromTerraform, TerraformViewOptions } from './terraform-view';
export { suppressAudit, AuditSuppression, AuditSuppressionOptions } from './suppression';
export { evaluateAudit, formatFinding, AuditFinding, AuditResult, SuppressionRecord, EvaluateOptions } from './engine';
export { formatTable, formatCounts, formatFindingRows, listedFindings, FormatTableOptions, toAuditJson, toSarif, writeReports, AUDIT_JSON, AUDIT_SARIF } from './report';
export { ALL_RULES, ruleById } from './rules';
export { AuditBundle, AuditContext, AwsItem, K8sItem, RawFinding, RuleDefinition, Severity, SeverityOverride } from './model';
export { renderBundle, writeRendered, exemptionAnnotations, RenderedFile, ToolExemption, RENDER_EXEMPTIONS, EXEMPTION_REASONS_ANNOTATION } from './render';
