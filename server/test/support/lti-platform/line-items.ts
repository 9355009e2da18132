import {
  lineItemUrl,
  nextNumber,
  type Course,
  type LineItem,
  type PlatformState,
} from './state.ts';
import type { LineItemView } from './types.ts';

/** Moodle's grade items as AGS line items: made by the tool or coupled to an activity. */

export function addLineItem(state: PlatformState, input: Omit<LineItem, 'number'>): LineItem {
  const item = { number: nextNumber(state, 'lineItems'), ...input };
  state.lineItems.push(item);
  return item;
}

/** An activity that accepts grades has one grade item from the start, out of 100 by default. */
export function coupleLineItem(
  state: PlatformState,
  course: Course,
  resourceLinkId: string,
  spec: { label?: string; scoreMaximum?: number },
  title: string,
): void {
  const coupled = state.lineItems.some(
    (item) => item.contextId === course.id && item.resourceLinkId === resourceLinkId,
  );
  if (coupled) return;
  addLineItem(state, {
    contextId: course.id,
    label: spec.label ?? title,
    scoreMaximum: spec.scoreMaximum ?? 100,
    resourceLinkId,
  });
}

export function findLineItem(
  state: PlatformState,
  contextId: string,
  number: string,
): LineItem | undefined {
  return state.lineItems.find(
    (item) => item.contextId === contextId && String(item.number) === number,
  );
}

/** gradebookservices::item_for_json: empty strings where Moodle has nothing. */
export function lineItemJson(
  state: PlatformState,
  item: LineItem,
  deploymentId: string,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: lineItemUrl(state, item, deploymentId),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    resourceId: item.resourceId ?? '',
    tag: item.tag ?? '',
  };
  if (item.resourceLinkId !== undefined) {
    json.resourceLinkId = item.resourceLinkId;
    json.ltiLinkId = item.resourceLinkId;
  }
  return json;
}

export function lineItemViews(state: PlatformState, contextId: string): LineItemView[] {
  const deploymentId = state.current?.deploymentId ?? '';
  return state.lineItems
    .filter((item) => item.contextId === contextId)
    .map((item) => ({
      id: lineItemUrl(state, item, deploymentId),
      label: item.label,
      scoreMaximum: item.scoreMaximum,
      ...(item.resourceLinkId !== undefined ? { resourceLinkId: item.resourceLinkId } : {}),
      ...(item.resourceId !== undefined ? { resourceId: item.resourceId } : {}),
      ...(item.tag !== undefined ? { tag: item.tag } : {}),
    }));
}

/** The scores posted to a line item, given its URL (as lineItems() lists it) or its number. */
export function scoresOf(state: PlatformState, lineItemId: string): Array<Record<string, unknown>> {
  const number = /\/lineitems\/(\d+)\/lineitem/.exec(lineItemId)?.[1] ?? lineItemId;
  return [...(state.scores.get(Number(number)) ?? [])];
}
