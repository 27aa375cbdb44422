// The signed-in session: token and user, kept in localStorage (never in
// URLs or cookies).

const KEY = 'tianbao.session';

export function session() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

export function saveSession(s) {
  localStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  localStorage.removeItem(KEY);
}

export const isBureau = u => !!u && u.role !== 'school';
export const canReview = u => !!u && (u.role === 'admin' || u.role === 'district');
