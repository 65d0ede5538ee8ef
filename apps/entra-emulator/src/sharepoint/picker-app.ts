/**
 * The picker page's user interface, as browser JavaScript: locations (My files, Recent and the sites
 * the user may read), folders, search, selection per the options, and the `pick` / `close` commands
 * through the messenger. Data comes from this SharePoint origin's `/_api/v2.0`, with the token the host returned
 * for `authenticate` (or, when the options carry no `authentication`, the token the page was posted).
 */
export const PICKER_APP_JS = String.raw`
(function () {
  var config = JSON.parse(document.getElementById('picker-config').textContent);
  var options = config.options;
  var api = config.origin + '/_api/v2.0';
  var $ = function (id) { return document.getElementById(id); };
  var token = config.formToken || null;
  var messenger = null;
  var state = { locations: [], recent: null, location: null, items: [], selected: new Map(), searching: null };
  // The drive each listed item lives in: Recent and its search list items of several drives.
  var itemDrives = new Map();
  // How many files Recent lists, and its search.
  var RECENT_COUNT = 20;
  var SEARCH_COUNT = 100;
  var busy = false;

  function showError(text) {
    var box = $('error');
    box.textContent = text;
    box.hidden = !text;
  }
  function setStatus(text) { $('status').textContent = text; }
  function describe(error) {
    if (error && error.code && /Timeout$/.test(error.code)) return error.message;
    if (error && error.code) return 'The host answered: ' + error.message + ' (' + error.code + ')';
    return (error && error.message) || 'Something went wrong.';
  }

  function authenticate() {
    return messenger.command({ command: 'authenticate', resource: config.origin, type: 'SharePoint' }).then(function (data) {
      if (!data || typeof data.token !== 'string' || !data.token) {
        var error = new Error('The host returned no token for ' + config.origin + '.');
        error.code = 'unableToObtainToken';
        throw error;
      }
      token = data.token;
    });
  }

  function apiGet(path, retried) {
    var url = path.indexOf(api) === 0 ? path : api + path;
    return fetch(url, { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } }).then(function (response) {
      if (response.status === 401 && options.authentication && !retried) {
        return authenticate().then(function () { return apiGet(path, true); });
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error((body.error && body.error.message) || 'SharePoint answered ' + response.status + '.');
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }
  function apiGetAll(path) {
    return apiGet(path).then(function (page) {
      var next = page['@odata.nextLink'];
      if (!next) return page.value;
      return apiGetAll(next).then(function (rest) { return page.value.concat(rest); });
    });
  }

  // What the options let the user pick.
  var DOCUMENT = /\.(docx?|xlsx?|pptx?|pdf|txt|rtf|odt|ods|odp|csv|md)$/i;
  function matchesFilters(item) {
    var filters = options.typesAndSources.filters;
    if (!filters.length) return true;
    var mime = (item.file && item.file.mimeType) || '';
    return filters.some(function (filter) {
      if (filter.charAt(0) === '.') return !item.folder && item.name.toLowerCase().slice(-filter.length) === filter.toLowerCase();
      if (filter === 'folder') return !!item.folder;
      if (item.folder) return false;
      if (filter === 'file') return true;
      if (filter === 'photo') return /^image\//.test(mime);
      if (filter === 'video') return /^video\//.test(mime);
      if (filter === 'audio') return /^audio\//.test(mime);
      if (filter === 'media') return /^(image|video|audio)\//.test(mime);
      if (filter === 'document') return DOCUMENT.test(item.name);
      return false;
    });
  }
  function visible(item) {
    var mode = options.typesAndSources.mode;
    if (item.folder) return true;
    return mode !== 'folders' && matchesFilters(item);
  }
  function selectable(item) {
    var mode = options.typesAndSources.mode;
    if (item.folder) return mode !== 'files' && (mode === 'folders' || matchesFilters(item) || !options.typesAndSources.filters.length);
    return mode !== 'folders' && matchesFilters(item);
  }

  function size(bytes) {
    if (bytes < 1024) return bytes + ' B';
    var units = ['KB', 'MB', 'GB', 'TB'];
    var value = bytes / 1024;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (value < 10 ? value.toFixed(1) : Math.round(value)) + ' ' + units[unit];
  }
  function date(text) {
    try { return new Date(text).toLocaleDateString(config.lang, { year: 'numeric', month: 'short', day: 'numeric' }); } catch (e) { return text; }
  }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attributes[key];
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), attributes[key]);
      else if (attributes[key] !== false && attributes[key] !== undefined) node.setAttribute(key, attributes[key] === true ? '' : attributes[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function renderNav() {
    var list = $('nav');
    list.textContent = '';
    navEntries().forEach(function (location) {
      var current = state.location && state.location.source === location;
      list.appendChild(el('li', {}, [el('button', {
        type: 'button', class: 'nav-item', 'aria-current': current ? 'location' : false, text: location.title,
        onclick: function () { openLocation(location); },
      })]));
    });
  }
  // As SharePoint's picker lists them: My files, then Recent, then the sites.
  function navEntries() {
    var entries = state.locations.slice();
    if (state.recent) entries.splice(entries.length && !entries[0].siteUrl ? 1 : 0, 0, state.recent);
    return entries;
  }
  function openLocation(location) {
    return location.recent ? openRecent() : openFolder(location, null, []);
  }

  function renderCrumbs() {
    var crumbs = $('crumbs');
    crumbs.textContent = '';
    var location = state.location;
    // Search covers the whole library, so its trail starts at the library.
    var trail = [{ id: null, name: location.title }].concat(state.searching ? [] : location.trail);
    trail.forEach(function (step, index) {
      var last = index === trail.length - 1 && !state.searching;
      crumbs.appendChild(el('li', {}, [last
        ? el('span', { 'aria-current': 'page', text: step.name })
        : el('button', { type: 'button', class: 'link', text: step.name, onclick: function () {
            if (location.source.recent) { openRecent(); return; }
            openFolder(location.source, step.id, state.searching ? [] : location.trail.slice(0, index));
          } })]));
    });
    if (state.searching) crumbs.appendChild(el('li', {}, [el('span', { 'aria-current': 'page', text: 'Results for "' + state.searching + '"' })]));
  }

  function limit() { return options.selection.mode === 'single' ? 1 : options.selection.maximumCount; }

  function toggle(item, checked) {
    if (options.selection.mode === 'single') state.selected.clear();
    if (checked) state.selected.set(item.id, item);
    else state.selected.delete(item.id);
    renderRows();
    renderTray();
  }

  function renderRows() {
    var rows = $('rows');
    rows.textContent = '';
    var shown = state.items.filter(visible);
    var full = limit() !== null && state.selected.size >= limit();
    shown.forEach(function (item) {
      var canSelect = selectable(item);
      var checked = state.selected.has(item.id);
      var control = canSelect
        ? el('input', {
            type: options.selection.mode === 'single' ? 'radio' : 'checkbox',
            name: 'pick', checked: checked, disabled: !checked && full && options.selection.mode !== 'single',
            'aria-label': 'Select ' + item.name,
            onchange: function (event) { toggle(item, event.target.checked); },
          })
        : el('span', {});
      var name = item.folder
        ? el('button', { type: 'button', class: 'link', text: item.name, 'aria-label': 'Open folder ' + item.name, onclick: function () {
            openFolder(state.location.source, item.id, state.location.trail.concat([{ id: item.id, name: item.name }]));
          } })
        : el('span', { text: item.name });
      var icon = el('span', { class: 'icon ' + (item.folder ? 'folder' : kind(item)), 'aria-hidden': 'true' });
      rows.appendChild(el('tr', { class: checked ? 'selected' : false }, [
        el('td', { class: 'select' }, [control]),
        el('td', { class: 'name' }, [icon, name]),
        el('td', { text: date(item.lastModifiedDateTime) }),
        el('td', { class: 'size', text: item.folder ? item.folder.childCount + ' items' : size(item.size) }),
      ]));
    });
    $('empty').hidden = shown.length > 0;
    $('empty').textContent = state.searching ? 'Nothing matches your search.'
      : state.location.source.recent ? 'No files were changed recently in your locations.' : 'This folder is empty.';
  }
  function kind(item) {
    var mime = (item.file && item.file.mimeType) || '';
    if (/^image\//.test(mime)) return 'image';
    if (/^video\//.test(mime)) return 'video';
    if (/pdf$/.test(mime)) return 'pdf';
    if (/wordprocessing/.test(mime)) return 'word';
    if (/spreadsheet/.test(mime)) return 'excel';
    if (/presentation/.test(mime)) return 'powerpoint';
    return 'file';
  }

  function renderTray() {
    var count = state.selected.size;
    $('pick').disabled = count === 0 || busy;
    var max = limit();
    setStatus(count === 0 ? 'Nothing selected.'
      : count + (count === 1 ? ' item selected' : ' items selected') + (max !== null && count >= max && options.selection.mode !== 'single' ? ' (the most you can pick).' : '.'));
  }

  function openFolder(location, itemId, trail) {
    var path = itemId
      ? '/drives/' + location.drive.id + '/items/' + itemId + '/children'
      : '/drives/' + location.drive.id + '/root/children';
    state.searching = null;
    $('q').value = '';
    return load(path, { source: location, drive: location.drive, title: location.title, itemId: itemId, trail: trail });
  }

  function load(path, location) {
    return show(apiGetAll(path).then(function (items) {
      items.forEach(function (item) { itemDrives.set(item.id, location.drive); });
      return items;
    }), location);
  }
  function show(loading, location) {
    showError('');
    $('rows').setAttribute('aria-busy', 'true');
    return loading.then(function (items) {
      state.location = location;
      state.items = items;
      $('heading').textContent = state.searching ? 'Search results' : (trailName(location));
      renderNav();
      renderCrumbs();
      renderRows();
      renderTray();
      $('rows').removeAttribute('aria-busy');
      $('heading').focus();
    }).catch(function (error) {
      $('rows').removeAttribute('aria-busy');
      showError(describe(error));
    });
  }
  function trailName(location) { return location.trail.length ? location.trail[location.trail.length - 1].name : location.title; }

  // Recent: SharePoint's picker lists the files the user used lately, from its own activity data. The
  // emulator has no activity: it lists the files most recently changed in every location offered,
  // newest first (Graph's /me/drive/recent was retired in November 2026, so it does not serve that).
  // Its search covers every location too.
  function acrossLocations(query, count) {
    return Promise.all(state.locations.map(function (location) {
      return apiGet('/drives/' + location.drive.id + "/root/search(q='" + query + "')?$orderby=lastModifiedDateTime%20desc&$top=" + count)
        .then(function (page) {
          return page.value.filter(function (item) { return !item.folder; }).map(function (item) {
            itemDrives.set(item.id, location.drive);
            return item;
          });
        })
        .catch(function () { return []; });
    })).then(function (lists) {
      var all = [].concat.apply([], lists);
      all.sort(function (a, b) { return a.lastModifiedDateTime < b.lastModifiedDateTime ? 1 : a.lastModifiedDateTime > b.lastModifiedDateTime ? -1 : 0; });
      return all.slice(0, count);
    });
  }
  function openRecent() {
    state.searching = null;
    $('q').value = '';
    return show(acrossLocations('', RECENT_COUNT), recentLocation());
  }
  function recentLocation() {
    return { source: state.recent, drive: null, title: state.recent.title, itemId: null, trail: [] };
  }

  function search(text) {
    if (!state.location) return;
    var recent = state.location.source.recent;
    if (!text) {
      if (recent) openRecent();
      else openFolder(state.location.source, state.location.itemId, state.location.trail);
      return;
    }
    state.searching = text;
    var q = encodeURIComponent(text.replace(/'/g, "''"));
    if (recent) { show(acrossLocations(q, SEARCH_COUNT), recentLocation()); return; }
    // As SharePoint's picker does, search the whole library, not only the open folder.
    load('/drives/' + state.location.drive.id + "/root/search(q='" + q + "')", state.location);
  }

  function picked(item) {
    var ids = item.sharepointIds || {};
    var parent = item.parentReference || {};
    var out = {
      '@sharePoint.endpoint': api,
      '@sharePoint.embedUrl': ids.siteUrl + '/_layouts/15/embed.aspx?UniqueId=' + ids.listItemUniqueId,
      '@sharePoint.listUrl': (itemDrives.get(item.id) || state.location.drive || {}).webUrl,
      id: item.id,
      name: item.name,
      size: item.size,
      webUrl: item.webUrl,
      webDavUrl: item.webDavUrl,
      parentReference: {
        driveId: parent.driveId,
        driveType: parent.driveType,
        id: parent.id,
        sharepointIds: { listId: ids.listId, siteId: ids.siteId, siteUrl: ids.siteUrl, webId: ids.webId },
      },
      sharepointIds: ids,
    };
    if (item.folder) out.folder = item.folder;
    if (options.download && item['@microsoft.graph.downloadUrl']) out['@microsoft.graph.downloadUrl'] = item['@microsoft.graph.downloadUrl'];
    return out;
  }

  function pick() {
    if (busy || state.selected.size === 0) return;
    busy = true;
    renderTray();
    showError('');
    var items = Array.from(state.selected.values()).map(picked);
    setStatus('Sending ' + items.length + (items.length === 1 ? ' item' : ' items') + ' to the app…');
    messenger.command({ command: 'pick', items: items, keepSharing: false }).then(function () {
      busy = false;
      state.selected.clear();
      renderRows();
      renderTray();
      setStatus('The app received ' + items.length + (items.length === 1 ? ' item.' : ' items.'));
    }).catch(function (error) {
      busy = false;
      renderTray();
      showError(describe(error));
    });
  }

  function loadLocations() {
    var locations = [];
    return apiGet('/me/drive').then(function (drive) {
      locations.push({ drive: drive, title: 'My files', sitePath: null });
    }).catch(function () { /* no OneDrive: sites only */ }).then(function () {
      return apiGet('/sites?search=*');
    }).then(function (sites) {
      return Promise.all(sites.value.map(function (site) {
        return apiGet('/sites/' + site.id + '/drive').then(function (drive) {
          return { drive: drive, title: site.displayName, siteUrl: site.webUrl };
        }).catch(function () { return null; });
      }));
    }).then(function (sites) {
      state.locations = locations.concat(sites.filter(Boolean)).filter(offered);
      state.locations.forEach(function (location) { location.source = location; });
      var pivots = options.typesAndSources.pivots;
      if (!pivots || pivots.recent) {
        state.recent = { recent: true, title: 'Recent' };
        state.recent.source = state.recent;
      }
    });
  }
  // typesAndSources.pivots narrows the left navigation; the entry location stays. Shared is not
  // emulated, so a host asking for { oneDrive, recent } (Microsoft's samples) sees My files and Recent.
  function offered(location) {
    var pivots = options.typesAndSources.pivots;
    if (!pivots) return true;
    if (!location.siteUrl) return pivots.oneDrive || !config.entry.siteUrl;
    return pivots.sites || location.siteUrl === config.entry.siteUrl;
  }

  function openEntry() {
    var entry = config.entry;
    var start = state.locations[0];
    if (entry.siteUrl) {
      start = state.locations.filter(function (l) { return l.siteUrl === entry.siteUrl; })[0] || start;
    }
    if (!start) { showError('You have no files or sites to pick from.'); return; }
    openFolder(start, null, []);
  }

  function begin() {
    messenger.notify({ notification: 'page-loaded', timestamp: Date.now() });
    var ready = options.authentication ? authenticate() : Promise.resolve();
    ready.then(loadLocations).then(openEntry).catch(function (error) { showError(describe(error)); });
  }

  $('search').addEventListener('submit', function (event) { event.preventDefault(); search($('q').value.trim()); });
  $('pick').addEventListener('click', pick);
  $('cancel').addEventListener('click', function () {
    messenger.command({ command: 'close' }).then(function () { setStatus('Closed.'); }).catch(function (error) { showError(describe(error)); });
  });

  var target = window.opener || (window.parent !== window ? window.parent : null);
  if (!target) {
    showError('Open the picker from a host page, in an iframe or a popup window: it talks to the page that opened it.');
    return;
  }
  messenger = createPickerMessenger({
    MessageChannel: MessageChannel,
    target: target,
    targetOrigin: options.messaging.origin,
    channelId: options.messaging.channelId,
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    acknowledgeTimeout: options.messaging.acknowledgeTimeout,
    resultTimeout: options.messaging.resultTimeout,
    initializeTimeout: options.messaging.initializeTimeout,
    newId: function () { return crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2); },
    onActivate: begin,
    onError: function (error) { showError(describe(error)); },
  });
  setStatus('Connecting to the app…');
  messenger.start();
})();
`;
