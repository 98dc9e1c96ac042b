/**
 * Every fuzz target: each construct exported from lib/index.ts that takes props (KubeWorkload is
 * abstract: its five controllers are here), and the environments loader.
 */
import { FuzzTarget } from '../run-case';
import { EDGE_TARGETS } from './edge';
import { LOADER_TARGET } from './loader';
import { MAINTENANCE_TARGETS } from './maintenance';
import { PLATFORM_TARGETS } from './platform';
import { WORKLOAD_TARGETS } from './workloads';

export const TARGETS: readonly FuzzTarget[] = [...WORKLOAD_TARGETS, ...PLATFORM_TARGETS, ...EDGE_TARGETS, ...MAINTENANCE_TARGETS, LOADER_TARGET];
