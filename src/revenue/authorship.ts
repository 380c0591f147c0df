/** A co-author of a piece of content and their integer share (60 and 40, say). */
export interface Authorship {
  author: number;
  share: number;
}

export interface ContentNode {
  id: string;
  parent_id: string | null;
  authors: Authorship[];
}

/**
 * Who is paid for work on each piece of content: its own authors, or, when it names none (a section
 * of a course, say), those of its nearest ancestor that does. Content with no authors up the chain
 * is left out: work on it directs no money.
 */
export function resolveAuthors(nodes: readonly ContentNode[]): Map<string, Authorship[]> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const resolved = new Map<string, Authorship[]>();
  for (const node of nodes) {
    let current: ContentNode | undefined = node;
    for (let depth = 0; current && current.authors.length === 0 && depth < 100; depth++) {
      current = current.parent_id === null ? undefined : byId.get(current.parent_id);
    }
    if (current && current.authors.length > 0) resolved.set(node.id, current.authors);
  }
  return resolved;
}
