/**
 * One offline HTTP server for the weather sources, on their real paths so only the base URL
 * differs from production: JMA's `/bosai/...` and Open-Meteo's `/v1/forecast`. Its clock is
 * settable, and it can inject the failures real sources produce. AMeDAS blocks that were
 * captured from JMA are served as captured; the others are generated in the shapes the
 * captures show.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen } from '../listen.ts';
import { createServer, type ServerResponse } from 'node:http';
import { amedasKey, pointBlock, type Revisions } from './amedas.ts';
import {
  forecast as jmaForecast,
  jmaTime,
  overview,
  r8Warnings,
  volcanoWarnings,
  warnings,
} from './jma.ts';
import { forecast as openMeteoForecast } from './open-meteo.ts';

export type FaultKind = 'status429' | 'status500' | 'timeout' | 'truncated' | 'malformed' | 'shape';

export interface FaultSpec {
  /** Regular expression on path and query. */
  readonly path: string;
  readonly kind: FaultKind;
  readonly count: number;
  readonly retryAfterS?: number;
}

export interface WeatherFake {
  readonly url: string;
  setNow(now: Date): void;
  /** A late correction: served for that record from now on. */
  reviseAmedas(
    station: string,
    key: string,
    element: string,
    value: number | null,
    flag?: number,
  ): void;
  injectFaults(f: FaultSpec): void;
  clearFaults(): void;
  requests(): string[];
  close(): Promise<void>;
}

const POINT = /^\/bosai\/amedas\/data\/point\/(\d{5})\/(\d{4})(\d{2})(\d{2})_(\d{2})\.json$/;

/** Real captured AMeDAS blocks (connectors/jma_amedas/fixtures/real), served byte for byte. */
const REAL_AMEDAS = fileURLToPath(
  new URL('../../../connectors/jma_amedas/fixtures/real/', import.meta.url),
);

function capturedPoint(path: string): Buffer | undefined {
  const m = /^\/bosai\/amedas\/data\/point\/(\d{5})\/(\d{8}_\d{2})\.json$/.exec(path);
  const file = m && join(REAL_AMEDAS, `point_${m[1]}_${m[2]}.json`);
  return file && existsSync(file) ? readFileSync(file) : undefined;
}

export async function createWeatherFake(opts: { port?: number; now?: Date }): Promise<WeatherFake> {
  let fixedNow = opts.now;
  const clock = () => fixedNow ?? new Date();
  const revisions: Revisions = new Map();
  let faults: (FaultSpec & { left: number })[] = [];
  const seen: string[] = [];

  function json(res: ServerResponse, status: number, body: unknown, fault?: FaultKind) {
    let text = JSON.stringify(body);
    if (fault === 'truncated') text = text.slice(0, Math.floor(text.length / 2));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  }

  function route(
    path: string,
    query: URLSearchParams,
  ): { status: number; body: unknown } | undefined {
    const now = clock();
    let m = /^\/bosai\/forecast\/data\/forecast\/(\d{6})\.json$/.exec(path);
    if (m) {
      const body = jmaForecast(now, m[1]!);
      return body ? { status: 200, body } : undefined;
    }
    m = /^\/bosai\/forecast\/data\/overview_forecast\/(\d{6})\.json$/.exec(path);
    if (m) {
      const body = overview(now, m[1]!);
      return body ? { status: 200, body } : undefined;
    }
    m = /^\/bosai\/warning\/data\/warning\/(\d{6})\.json$/.exec(path);
    if (m) {
      const body = warnings(now, m[1]!);
      return body ? { status: 200, body } : undefined;
    }
    m = /^\/bosai\/warning\/data\/r8\/(\d{6})\.json$/.exec(path);
    if (m) {
      const body = r8Warnings(now, m[1]!);
      return body ? { status: 200, body } : undefined;
    }
    if (path === '/bosai/volcano/data/warning.json')
      return { status: 200, body: volcanoWarnings(now) };
    m = POINT.exec(path);
    if (m) {
      const [, station, y, mo, d, h] = m;
      const start = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 9));
      if (Number(h) % 3 !== 0) return undefined;
      const body = pointBlock(station!, start, now, revisions);
      return body ? { status: 200, body } : undefined;
    }
    if (path === '/v1/forecast') return openMeteoForecast(query, now);
    return undefined;
  }

  /** A payload of the right route but the wrong structure, for the shape-error tests. */
  function misshape(body: unknown): unknown {
    if (Array.isArray(body)) return [{ ...(body[0] as object), timeSeries: { broken: true } }];
    if (body && typeof body === 'object' && 'hourly' in body) {
      const hourly = { ...(body as { hourly: Record<string, unknown> }).hourly };
      delete hourly.time;
      return { ...body, hourly };
    }
    const rec = Object.entries(body as Record<string, Record<string, unknown>>)[0];
    return rec ? { [rec[0]]: { ...rec[1], temp: 'n/a' } } : body;
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake');
    seen.push(`${u.pathname}${u.search}`);
    const fault = faults.find(
      (f) => f.left > 0 && new RegExp(f.path).test(`${u.pathname}${u.search}`),
    );
    if (fault) fault.left--;
    switch (fault?.kind) {
      case 'status429':
        res.writeHead(429, {
          'retry-after': String(fault.retryAfterS ?? 1),
          'content-type': 'text/plain',
        });
        res.end('Too Many Requests');
        return;
      case 'status500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
        return;
      case 'timeout':
        return; // never answers; close() drops the connection
      case 'malformed':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Service Unavailable</body></html>');
        return;
    }
    if (u.pathname === '/bosai/amedas/data/latest_time.txt') {
      const t = Math.floor(clock().getTime() / 600_000) * 600_000;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(jmaTime(new Date(t)));
      return;
    }
    const captured = capturedPoint(u.pathname);
    if (captured && fault?.kind !== 'shape' && fault?.kind !== 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(captured);
      return;
    }
    const r = route(u.pathname, u.searchParams);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>404 Not Found</body></html>');
      return;
    }
    json(res, r.status, fault?.kind === 'shape' ? misshape(r.body) : r.body, fault?.kind);
  });

  const { url, close } = await listen(server, opts.port);
  return {
    url,
    setNow: (now) => (fixedNow = now),
    reviseAmedas: (station, key, element, value, flag = 0) =>
      revisions.set(`${station}/${key}/${element}`, { value, flag }),
    injectFaults: (f) => faults.push({ ...f, left: f.count }),
    clearFaults: () => (faults = []),
    requests: () => [...seen],
    close,
  };
}

export { amedasKey };
