import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';
import { configureDistributionApp } from './app/configure';

runService(AppModule, {
  name: 'results-distribution',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  configure: configureDistributionApp,
  openApi: {
    title: 'Podium results-distribution',
    description:
      'Live ODF results for the world (ODS): the latest version of every document, unit results and start lists, ' +
      'phase results, the schedule with live status and the medal table over REST (strong ETags, CDN caching); ' +
      'Server-Sent Events at /v1/stream for browsers; the partner feed GET /v1/feed (role partner); the CIS ' +
      'WebSocket at /v1/cis (see docs/results-distribution.md); the widget at /widget.js. Follows the RESULTS, ' +
      'RESULTS_CURRENT, SCHEDULES and ENTRIES streams.',
    version: '1.0.0',
  },
});
