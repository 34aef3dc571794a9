export { ApiError, apiClient, ok, pool, printProblem, runMain } from './client';
export type { ApiClient, ApiClientOptions, ProblemBody, RequestBody, ResponseBody, ServiceName } from './client';
export * from './generated';
