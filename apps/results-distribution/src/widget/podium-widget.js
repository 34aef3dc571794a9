/*
 * Podium results widget: <podium-results unit="<unit RSC>" medals></podium-results>
 * One script tag: <script src="https://results.example/widget.js" async></script>
 *
 * Shows the live results of a unit (its DT_RESULT, then the running clock from DT_CURRENT) and, with the `medals`
 * attribute, the medal table, live over Server-Sent Events from the service that served this script (or the `api`
 * attribute). EventSource reconnects by itself and resumes with Last-Event-ID. No dependencies, Shadow DOM styles.
 */
/* global document, customElements, EventSource, HTMLElement, URL, URLSearchParams, location */
(function () {
  'use strict';
  if (typeof customElements === 'undefined' || customElements.get('podium-results')) return;

  const script = document.currentScript;
  const defaultApi = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  const STYLE =
    ':host{display:block;font:14px/1.4 system-ui,sans-serif;color:#111;border:1px solid #ddd;border-radius:6px;padding:8px;max-width:40em}' +
    'h3{margin:0 0 4px;font-size:15px}.meta{color:#555;font-size:12px;margin-bottom:6px}' +
    'table{border-collapse:collapse;width:100%;margin-bottom:8px}th,td{text-align:left;padding:2px 6px;border-bottom:1px solid #eee}' +
    'td.n{text-align:right}.live{color:#c00;font-weight:600}.official{color:#070;font-weight:600}.empty{color:#777}';

  function escapeHtml(value) {
    return String(value === undefined || value === null ? '' : value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function first(element, name) {
    const list = element && element[name];
    return Array.isArray(list) && list.length > 0 ? list[0] : undefined;
  }

  function competitorName(competitor) {
    const description = first(competitor, 'Description');
    if (description && description.TeamName) return description.TeamName;
    const athletes = (first(competitor, 'Composition') || {}).Athlete || [];
    const names = athletes.map(function (athlete) {
      const d = first(athlete, 'Description') || {};
      return [d.GivenName, d.FamilyName].filter(Boolean).join(' ');
    });
    return names.filter(Boolean).join(' / ') || (competitor && competitor.Code) || '';
  }

  function extendedInfo(competition, code) {
    const infos = (first(competition, 'ExtendedInfos') || {}).ExtendedInfo || [];
    for (let i = 0; i < infos.length; i++) if (infos[i].Code === code) return infos[i].Value;
    return undefined;
  }

  class PodiumResults extends HTMLElement {
    static get observedAttributes() {
      return ['unit', 'medals', 'api'];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.result = null;
      this.current = null;
      this.table = null;
      this.source = null;
      this.state = 'connecting';
    }

    connectedCallback() {
      this.render();
      this.open();
    }

    disconnectedCallback() {
      this.close();
    }

    attributeChangedCallback() {
      if (!this.isConnected) return;
      this.result = null;
      this.current = null;
      this.open();
    }

    close() {
      if (this.source) this.source.close();
      this.source = null;
    }

    open() {
      this.close();
      const unit = this.getAttribute('unit');
      const params = new URLSearchParams();
      if (unit) params.set('rsc', unit);
      if (this.hasAttribute('medals') || !unit) params.set('medals', 'true');
      const api = this.getAttribute('api') || defaultApi;
      const source = new EventSource(api.replace(/\/$/, '') + '/v1/stream?' + params.toString());
      this.source = source;
      const on = (event, handler) =>
        source.addEventListener(event, (e) => {
          try {
            handler(JSON.parse(e.data));
          } catch {
            /* ignore a malformed event */
          }
          this.render();
        });
      source.addEventListener('open', () => {
        this.state = 'live';
        this.render();
      });
      on('hello', () => {
        this.state = 'live';
      });
      on('snapshot', (data) => data.documents.forEach((doc) => this.take(doc)));
      on('reset', () => {
        this.result = null;
        this.current = null;
      });
      on('document', (doc) => this.take(doc));
      on('current', (doc) => this.take(doc));
      on('medals', (table) => {
        this.table = table;
      });
      source.addEventListener('error', () => {
        this.state = source.readyState === 2 ? 'closed' : 'reconnecting';
        this.render();
      });
    }

    take(doc) {
      if (doc.documentCode !== this.getAttribute('unit')) return;
      if (doc.documentType === 'DT_RESULT' && (!this.result || doc.version >= this.result.version)) this.result = doc;
      if (doc.documentType === 'DT_CURRENT' && (!this.current || doc.version >= this.current.version)) this.current = doc;
    }

    render() {
      let html = '<style>' + STYLE + '</style>';
      const unit = this.getAttribute('unit');
      if (unit) html += this.renderUnit(unit);
      if (this.hasAttribute('medals') || !unit) html += this.renderMedals();
      this.root.innerHTML = html;
      this.setAttribute('data-state', this.state);
      if (this.result) {
        this.setAttribute('data-version', String(this.result.version));
        this.setAttribute('data-status', this.result.resultStatus || '');
      }
    }

    renderUnit(unit) {
      const doc = this.result;
      const competition = doc && doc.competition;
      const sport = competition && first(first(competition, 'ExtendedInfos'), 'SportDescription');
      const title = (sport && sport.EventName) || unit;
      const status = doc ? doc.resultStatus || '' : '';
      const clock = this.current && extendedInfo(this.current.competition, 'RUNNING_TIME');
      let html = '<h3 data-role="title">' + escapeHtml(title) + '</h3><div class="meta">';
      html += '<span data-role="status" class="' + (status === 'OFFICIAL' ? 'official' : 'live') + '">' + escapeHtml(status || 'waiting') + '</span>';
      if (doc) html += ' · version <span data-role="version">' + escapeHtml(doc.version) + '</span>';
      if (clock) html += ' · <span data-role="clock">' + escapeHtml(clock) + '</span>';
      html += ' · <span data-role="connection">' + escapeHtml(this.state) + '</span></div>';
      const results = (competition && competition.Result) || [];
      if (results.length === 0) return html + '<div class="empty" data-role="no-results">No results yet</div>';
      html += '<table><thead><tr><th>#</th><th>Name</th><th>NOC</th><th>Result</th></tr></thead><tbody>';
      results.forEach(function (r) {
        const competitor = first(r, 'Competitor') || {};
        html +=
          '<tr data-role="result-row"><td class="n">' + escapeHtml(r.Rank || '') + '</td><td>' + escapeHtml(competitorName(competitor)) +
          '</td><td>' + escapeHtml(competitor.Organisation || '') + '</td><td class="n">' + escapeHtml(r.Result || '') + '</td></tr>';
      });
      return html + '</tbody></table>';
    }

    renderMedals() {
      const rows = (this.table && this.table.rows) || [];
      let html = '<h3>Medal table</h3>';
      if (rows.length === 0) return html + '<div class="empty" data-role="no-medals">No medals yet</div>';
      html += '<table><thead><tr><th>#</th><th>NOC</th><th>G</th><th>S</th><th>B</th><th>Total</th></tr></thead><tbody>';
      rows.slice(0, 30).forEach(function (row) {
        html +=
          '<tr data-role="medal-row" data-noc="' + escapeHtml(row.noc) + '"><td class="n">' + escapeHtml(row.rank) + '</td><td>' + escapeHtml(row.noc) +
          '</td><td class="n">' + escapeHtml(row.gold) + '</td><td class="n">' + escapeHtml(row.silver) + '</td><td class="n">' +
          escapeHtml(row.bronze) + '</td><td class="n">' + escapeHtml(row.total) + '</td></tr>';
      });
      return html + '</tbody></table>';
    }
  }

  customElements.define('podium-results', PodiumResults);
})();
