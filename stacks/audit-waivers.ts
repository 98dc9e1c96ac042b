import type { AuditWaiver } from '../lib';

/**
 * Where the example app knowingly departs from a golden-path audit rule. Waivers live
 * here, in the app's configuration, so review sees every one; each names the rule, the
 * construct path (a glob) and why.
 *
 * There are none: the library's defaults pass the audit in strict mode (test/audit-defaults.test.ts),
 * and the example gives the inputs the library cannot default (probes, a WAFv2 web ACL for the CDN).
 * A waiver here is for a deliberate choice of the app, never for a library default.
 */
export const EXAMPLE_AUDIT_WAIVERS: AuditWaiver[] = [];
