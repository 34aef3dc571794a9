// Element tree (the Competition content, same shape in XML and JSON)
export {
  attr,
  attributesOf,
  canonicalElementJson,
  child,
  children,
  DEFAULT_TREE_LIMITS,
  descendants,
  elementToXml,
  isXmlName,
  type OdfElement,
  TEXT_KEY,
  type TreeLimits,
} from './element';
// Header and document identity
export {
  documentKey,
  type DocumentIdentity,
  FEED_FLAGS,
  type FeedFlag,
  HEADER_FIELDS,
  headerSchemaFor,
  MAX_ODF_VERSION,
  odfHeaderSchema,
  type OdfHeader,
  parseDocumentKey,
  RSC_DOCUMENT_TYPES,
} from './header';
// Parsing and the published JSON form
export {
  buildMessage,
  type OdfJson,
  odfJsonSchema,
  type OdfMessage,
  type OdfParseError,
  parseOdfJson,
  parseOdfXml,
  type ParseOptions,
  type ParseResult,
  toOdfJson,
  toOdfXml,
} from './message';
// Version rules and _UPDATE merging
export { isUpdateType, UPDATE_RULES, type UpdateRule, updateRuleOf } from './update-rules';
export { baseKeyOf, DELETE_INDICATOR, mergeUpdate } from './merge';
export {
  type Decision,
  type DecisionKind,
  decide,
  fingerprint,
  nextState,
  stateOf,
  type StoredDocState,
} from './versioning';
// Medals
export {
  applyEventMedals,
  type EventMedals,
  type EventMedalState,
  type MedalBook,
  type Medallist,
  medalsByEvent,
  medalsFromMedallists,
  medalsFromOfficialResult,
  medalTable,
  type MedalTableRow,
  MEDAL_TYPES,
  type MedalType,
  medalTypeOf,
  type OfficialResultMedalOptions,
} from './medals';
// Synthetic messages for tests and benchmarks
export {
  makeCurrentMessage,
  makeMedallistsMessage,
  makeResultMessage,
  type SyntheticCommonOptions,
  type SyntheticMedallistsOptions,
  type SyntheticMessage,
  type SyntheticResultOptions,
} from './synthetic';
