/** What a draft does to a cohort of real customers (issue 26): live against draft per period, from bills. */
export { CustomerCache, cacheRoot, environmentCacheDir, type CachedCustomer } from './cache';
export { parseCustomerList, type CustomerList } from './customerList';
export { draftAndLive, type DraftAndLive, type LiveGroupClient } from './draft';
export {
  runImpact,
  DISTRIBUTION_BUCKETS,
  type ImpactOptions,
  type ImpactReport,
  type ImpactPeriod,
  type ImpactTarget,
  type ChangedCustomer,
} from './impact';
export { renderImpact, IMPACT_FORMATS, type ImpactFormat } from './render';
export { verifyAgainstLog, logVerdicts, type VerifyReport, type Disagreement, type EvaluationLogClient } from './verify';
export { renderImpactHtml } from './html';
export { catalogueFor, type Catalogue } from '../customers/catalogue';
