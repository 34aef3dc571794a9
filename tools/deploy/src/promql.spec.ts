import { metricNames, PromqlError, variableQueryMetricNames } from './promql';

describe('metricNames (PromQL)', () => {
  it('reads a bare selector and one with label matchers', () => {
    expect(metricNames('up')).toEqual(['up']);
    expect(metricNames('http_requests_total{service="results-ingest", route=~"/v1/.+", status_code!~"5.."}')).toEqual(['http_requests_total']);
  });

  it('skips functions, aggregations, their by/without lists, ranges and numbers', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="$service"}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total[5m])) without (instance) / ignoring(code) group_left(service) b')).toEqual(['a_total', 'b']);
    expect(metricNames('topk(5, max by (stream_name) (c))')).toEqual(['c']);
    expect(metricNames('count_values("version", d)')).toEqual(['d']);
  });

  it('skips keywords and operators, and keeps both sides of binary operations', () => {
    expect(metricNames('a > bool 1 and on (service) b or c unless d')).toEqual(['a', 'b', 'c', 'd']);
    expect(metricNames('1 - (sum(rate(errors_total[1h])) / sum(rate(requests_total[1h]))) >= 0.999')).toEqual(['errors_total', 'requests_total']);
    expect(metricNames('x ^ 2 % 3 != 4e-3 == Inf')).toEqual(['x']);
  });

  it('skips offsets, @ modifiers, subqueries and durations', () => {
    expect(metricNames('rate(a[5m] offset 1h30m)')).toEqual(['a']);
    expect(metricNames('max_over_time(rate(b[1m])[1h:30s] @ 1700000000)')).toEqual(['b']);
    expect(metricNames('c @ end() - c offset -5m')).toEqual(['c']);
  });

  it('keeps recording rule names (colons) and __name__ matchers', () => {
    expect(metricNames('podium:slo_errors:ratio_rate5m{slo="gate"} > 14.4 * 0.01')).toEqual(['podium:slo_errors:ratio_rate5m']);
    expect(metricNames('{__name__="outbox_pending_events", service="x"}')).toEqual(['outbox_pending_events']);
    expect(metricNames('{service="x"}')).toEqual([]);
  });

  it('skips Grafana variables and the words inside strings and matchers', () => {
    expect(metricNames('sum by (route) (rate(x_total{service=~"$service", route!="rate(by)"}[$__rate_interval]))')).toEqual(['x_total']);
    expect(metricNames('y{namespace="${namespace}"} * ${factor}')).toEqual(['y']);
  });

  it('ignores comments and reports each name once', () => {
    expect(metricNames('a # not_a_metric\n + a')).toEqual(['a']);
  });

  it('refuses an unknown function (a typo is not a metric) and broken syntax', () => {
    expect(() => metricNames('histogram_quantle(0.99, x_bucket)')).toThrow(PromqlError);
    expect(() => metricNames('histogram_quantle(0.99, x_bucket)')).toThrow(/unknown function 'histogram_quantle'/);
    expect(() => metricNames('x{a="b"')).toThrow(/unclosed/);
    expect(() => metricNames('x{a="b}')).toThrow(/unterminated string/);
    expect(() => metricNames('x ; y')).toThrow(/unexpected ';'/);
  });
});

describe('variableQueryMetricNames (Grafana variable queries)', () => {
  it('reads the selector of label_values, nothing from label-only forms', () => {
    expect(variableQueryMetricNames('label_values(http_requests_total{namespace="$namespace"}, service)')).toEqual(['http_requests_total']);
    expect(variableQueryMetricNames('label_values(namespace)')).toEqual([]);
    expect(variableQueryMetricNames('label_names()')).toEqual([]);
    expect(variableQueryMetricNames('metrics(outbox_.*)')).toEqual([]);
  });

  it('reads query_result and plain expressions', () => {
    expect(variableQueryMetricNames('query_result(topk(5, sum by (stream_name) (nats_stream_total_messages)))')).toEqual(['nats_stream_total_messages']);
    expect(variableQueryMetricNames('up{job="x"}')).toEqual(['up']);
  });
});
