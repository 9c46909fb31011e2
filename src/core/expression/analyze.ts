import { isComparison, isLogical, type ExprNode, type Span } from './ast';
import {
  EXTENDED_FIELD_PREFIX,
  PROFILES,
  TREE_TYPES,
  TYPE_METHODS,
  findAttribute,
  findProfile,
  findProfileMethod,
  findTypeMethod,
  type AttributeInfo,
  type MethodInfo,
  type ProfileInfo,
  type ValueType,
} from './catalog';

/** What the catalog knows about a node: its value type and the `type` string of its tree node. */
export interface NodeType {
  /** 'profile' for a profile name; 'unknown' when the catalog cannot tell. */
  value: ValueType | 'profile' | 'unknown';
  /** The platform's type string; undefined for names the catalog does not know (the platform leaves those untyped too). */
  treeType: string | undefined;
  profile?: ProfileInfo;
  attribute?: AttributeInfo;
  method?: MethodInfo;
}

export interface NameIssue extends Span {
  code: 'MS302' | 'MS303';
  message: string;
}

export interface Analysis {
  types: Map<ExprNode, NodeType>;
  /** Names the catalog does not know (warnings: the catalog may be incomplete). */
  issues: NameIssue[];
}

const UNKNOWN: NodeType = { value: 'unknown', treeType: undefined };

function valueType(type: ValueType, extra: Partial<NodeType> = {}): NodeType {
  return { value: type, treeType: TREE_TYPES[type], ...extra };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** " Did you mean "x"?" for a name that differs in letter case or by at most two edits, else "". */
function suggestion(candidates: readonly { name: string }[], name: string): string {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.name.toLowerCase() === lower ? 0 : editDistance(candidate.name.toLowerCase(), lower);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate.name, distance };
  }
  return best ? ` Did you mean "${best.name}"?` : '';
}

/** Resolves every node's type against the catalog and lists the names it does not know. */
export function analyze(root: ExprNode): Analysis {
  const types = new Map<ExprNode, NodeType>();
  const issues: NameIssue[] = [];

  const visit = (node: ExprNode): NodeType => {
    const type = resolve(node);
    types.set(node, type);
    return type;
  };

  const resolve = (node: ExprNode): NodeType => {
    switch (node.kind) {
      case 'literal':
        if (node.literalType === 'number') return { value: 'number', treeType: TREE_TYPES.numberLiteral };
        return valueType(node.literalType);
      case 'name': {
        const profile = findProfile(node.name);
        if (profile) return { value: 'profile', treeType: profile.treeType, profile };
        const close = suggestion(PROFILES, node.name);
        issues.push({
          code: 'MS302',
          start: node.start,
          end: node.end,
          message: close
            ? `"${node.name}" is not a known profile, so the platform may reject or never match this rule.${close} Profile names are case-sensitive.`
            : `"${node.name}" is not a known profile, so the platform may reject or never match this rule. Known profiles: ${PROFILES.map((p) => p.name).join(', ')}.`,
        });
        return UNKNOWN;
      }
      case 'member': {
        const object = visit(node.object);
        const name = node.property.name;
        if (object.profile) {
          const attribute = findAttribute(object.profile, name);
          if (attribute) return valueType(attribute.type, { attribute });
          if (name.startsWith(EXTENDED_FIELD_PREFIX) && name.length > EXTENDED_FIELD_PREFIX.length) return UNKNOWN;
          const method = findProfileMethod(object.profile, name);
          issues.push({
            code: 'MS303',
            start: node.property.start,
            end: node.property.end,
            message: method
              ? `"${name}" is a method of ${object.profile.name}, not an attribute: call it with its arguments, e.g. ${object.profile.name}.${name}(...).`
              : `"${name}" is not a known attribute of ${object.profile.name}; check the spelling against the profile's documentation.${suggestion(object.profile.attributes, name)}`,
          });
          return UNKNOWN;
        }
        if (object.value !== 'unknown') {
          issues.push({
            code: 'MS303',
            start: node.property.start,
            end: node.property.end,
            message: `A ${object.value} value has no attribute "${name}". Its methods are: ${TYPE_METHODS[object.value as ValueType].map((m) => m.name).join(', ')}.`,
          });
        }
        return UNKNOWN;
      }
      case 'call': {
        const object = visit(node.object);
        node.args.forEach(visit);
        const name = node.method.name;
        let method: MethodInfo | undefined;
        if (object.profile) {
          method = findProfileMethod(object.profile, name);
          if (!method) {
            const attribute = findAttribute(object.profile, name);
            issues.push({
              code: 'MS303',
              start: node.method.start,
              end: node.method.end,
              message: attribute
                ? `"${name}" is an attribute of ${object.profile.name}, not a method: remove the parentheses.`
                : `"${name}" is not a known method of ${object.profile.name}; check the spelling against the profile's documentation.${suggestion(object.profile.methods, name)}`,
            });
          }
        } else if (object.value !== 'unknown' && object.value !== 'profile') {
          method = findTypeMethod(object.value, name);
          if (!method) {
            issues.push({
              code: 'MS303',
              start: node.method.start,
              end: node.method.end,
              message: `A ${object.value} value has no method "${name}". Its methods are: ${TYPE_METHODS[object.value].map((m) => m.name).join(', ')}.`,
            });
          }
        }
        return method ? valueType(method.returns, { method }) : UNKNOWN;
      }
      case 'binary':
        visit(node.left);
        visit(node.right);
        if (isComparison(node.op) || isLogical(node.op)) return valueType('boolean');
        return valueType('number');
      case 'unary':
        visit(node.operand);
        return node.op === '!' ? valueType('boolean') : valueType('number');
    }
  };

  visit(root);
  issues.sort((x, y) => x.start - y.start);
  return { types, issues };
}
