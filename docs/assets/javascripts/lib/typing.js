// Single-key shortcuts must not steal the letters a reader types into a field.
export function isTypingInField(active = document.activeElement) {
  return !!active && (active.isContentEditable || /^(input|select|textarea)$/i.test(active.tagName));
}
