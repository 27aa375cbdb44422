// IndexedDB: a key-value store (drafts, known submissions) and the outbox.

let opened;

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open('tianbao', 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('kv');
        db.createObjectStore('outbox', { keyPath: 'key', autoIncrement: true });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opened;
}

async function tx(store, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    const req = fn(t.objectStore(store));
    t.oncomplete = () => resolve(req && req.result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const kvGet = key => tx('kv', 'readonly', s => s.get(key));
export const kvSet = (key, val) => tx('kv', 'readwrite', s => s.put(val, key));
export const kvDel = key => tx('kv', 'readwrite', s => s.delete(key));

export async function kvKeys(prefix) {
  const keys = await tx('kv', 'readonly', s => s.getAllKeys());
  return keys.filter(k => String(k).startsWith(prefix));
}

export const boxAll = () => tx('outbox', 'readonly', s => s.getAll());
export const boxPut = entry => tx('outbox', 'readwrite', s => s.put(entry));
export const boxDel = key => tx('outbox', 'readwrite', s => s.delete(key));
