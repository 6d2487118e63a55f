import { testAppBeforeAll } from './support/test-app';

describe('GET /health (sqlite)', () => {
  const app = testAppBeforeAll('sqlite', { suiteFile: __filename });

  it('answers 200 without a token', async () => {
    const response = await app.t.http.get('/health').expect(200);
    expect(response.body.status).toBe('ok');
  });

  it('answers an unknown route with a problem document', async () => {
    const response = await app.t.http.get('/v1/unknown').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, rule: 'route-not-found' });
  });
});

describe('GET /metrics (sqlite)', () => {
  const app = testAppBeforeAll('sqlite', { suiteFile: __filename });

  it('serves Prometheus text with process metrics and HTTP latency by route template', async () => {
    await app.t.http.get('/health').expect(200);
    const response = await app.t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${app.t.adminToken}`)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('wasteflow_process_cpu_seconds_total');
    expect(response.text).toMatch(
      /wasteflow_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1/,
    );
  });
});
