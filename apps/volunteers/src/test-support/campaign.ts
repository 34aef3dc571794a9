/**
 * The demo edition's campaign as the tests and the demo set it (PUT /v1/editions/{edition}/campaign). One source:
 * apps/volunteers/data/demo-campaign-og2024.json, which `npm start`'s demo loader (tools/volunteers/load-demo.ts) reads too.
 */
import campaign from '../../data/demo-campaign-og2024.json';

export const DEMO_CAMPAIGN = campaign;
