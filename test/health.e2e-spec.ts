import { startTestApp, type TestApp } from './support/test-app';

describe('GET /health (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { suiteFile: __filename });
  });
  afterAll(async () => t.close());

  it('answers 200 without a token', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body.status).toBe('ok');
  });

  it('answers an unknown route with a problem document', async () => {
    const response = await t.http.get('/v1/unknown').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, rule: 'route-not-found' });
  });
});

describe('GET /metrics (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { suiteFile: __filename });
  });
  afterAll(async () => t.close());

  it('serves Prometheus text with process metrics and HTTP latency by route template', async () => {
    await t.http.get('/health').expect(200);
    const response = await t.http.get('/metrics').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('wasteflow_process_cpu_seconds_total');
    expect(response.text).toMatch(/wasteflow_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1/);
  });
});
