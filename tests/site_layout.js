// The browser tests' layout check (tests/test_site.py): run in a page, it returns every place
// where the reader cannot see the article whole, as readable strings. Argument: the smallest
// scale bplab-site.js may shrink an equation to before letting it scroll.
(minScale) => {
  // Everything in the article that a reader cannot see whole, as readable strings.
  const problems = [];
  const article = document.querySelector('article');
  if (!article) return ['no <article> on the page'];
  const a = article.getBoundingClientRect();
  const left = Math.max(a.left, 0) - 1, right = Math.min(a.right, innerWidth) + 1;
  const hiddenCache = new Map();
  const visuallyHidden = (el) => {   // clipped to nothing on purpose (screen-reader text)
    if (!el || el === article) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const own = el.tagName === 'MJX-ASSISTIVE-MML' || cs.display === 'none' ||
                cs.visibility === 'hidden' || (cs.clipPath && cs.clipPath !== 'none') ||
                (cs.clip && cs.clip !== 'auto') || (r.width <= 1 && r.height <= 1);
    const v = own || visuallyHidden(el.parentElement);
    hiddenCache.set(el, v);
    return v;
  };
  const scroller = (el) => {   // el or its nearest ancestor (in article) that scrolls sideways
    for (let e = el; e && e !== article; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o === 'auto' || o === 'scroll') return e;
    }
    return null;
  };
  const name = (el) => {
    const t = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ' class="' + el.className.trim().split(/\s+/).slice(0, 2).join(' ') + '"' : ''}> "${t}"`;
  };
  // 1. content cut by a box that hides its overflow
  for (const el of article.querySelectorAll('*')) {
    const tag = el.tagName;
    if (tag.startsWith('MJX-') && tag !== 'MJX-CONTAINER') continue;   // MathJax's own boxes
    if (el.clientWidth <= 2 || visuallyHidden(el)) continue;
    const o = getComputedStyle(el).overflowX;
    const over = el.scrollWidth - el.clientWidth;
    if (over <= 1) continue;
    if (o === 'hidden' || o === 'clip') {
      problems.push(`cut off (${over}px hidden): ${name(el)}`);
    } else if ((o === 'auto' || o === 'scroll') && el.querySelector(':scope > table, table')
               && !el.closest('pre')) {
      problems.push(`table wider than its column (${over}px to scroll): ${name(el)}`);
    }
  }
  // 2. text drawn outside the column (not inside a box that scrolls it into view)
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const reported = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue.trim()) continue;
    const el = node.parentElement;
    if (!el || visuallyHidden(el) || el.closest('script, style, mjx-container')) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (!rects.some(r => r.right > right || r.left < left)) continue;
    if (scroller(el)) continue;
    if (reported.has(el)) continue;
    reported.add(el);
    problems.push(`text past the column: ${name(el)}`);
  }
  // 3. equations: visible whole (or, at the smallest scale, in a marked scroll box), and
  // never under their number
  for (const box of article.querySelectorAll('mjx-container')) {
    if (visuallyHidden(box)) continue;
    const math = box.querySelector(':scope > mjx-math') || box.querySelector('mjx-math');
    if (!math) continue;
    const m = math.getBoundingClientRect(), b = box.getBoundingClientRect();
    const display = box.getAttribute('display') === 'true';
    const label = `${display ? 'display' : 'inline'} equation ${name(box).slice(0, 70)}`;
    const holder = box.parentElement && box.parentElement.matches('.math') ? box.parentElement : null;
    const own = display || !holder ? box : holder;   // the box that would scroll it
    const scrolls = own.scrollWidth > own.clientWidth + 1 &&
                    /auto|scroll/.test(getComputedStyle(own).overflowX);
    if (scrolls) {
      const scale = parseFloat(box.getAttribute('data-bplab-scale') || '1');
      if (!own.classList.contains('bplab-eq-scroll') || scale > minScale + 1e-3)
        problems.push(`${label}: scrolls sideways at scale ${scale} (scale it down to ` +
                      `${minScale} first, then mark the scroll box)`);
    } else if (!scroller(own.parentElement) && (m.right > right || m.left < left)) {
      problems.push(`${label}: drawn past the column (${Math.round(m.left)}-` +
                    `${Math.round(m.right)} px, column ${Math.round(left)}-${Math.round(right)})`);
    }
    const eqno = box.parentElement && box.parentElement.querySelector(':scope > .eqno');
    if (display && eqno) {
      const n = eqno.getBoundingClientRect();
      const visibleMath = {left: Math.max(m.left, b.left), right: Math.min(m.right, b.right)};
      const w = Math.min(n.right, visibleMath.right) - Math.max(n.left, visibleMath.left);
      const h = Math.min(n.bottom, m.bottom) - Math.max(n.top, m.top);
      const wScroll = scrolls ? Math.min(n.right, b.right) - Math.max(n.left, b.left) : w;
      const hScroll = Math.min(n.bottom, b.bottom) - Math.max(n.top, b.top);
      if ((w > 1 && h > 1) || (wScroll > 1 && hScroll > 1))
        problems.push(`${label}: its number ${eqno.textContent.trim()} overlaps it`);
      if (n.right > right || n.left < left)
        problems.push(`${label}: its number ${eqno.textContent.trim()} is off the column`);
    }
  }
  return problems;
}
