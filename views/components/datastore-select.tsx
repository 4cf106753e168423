/** @module views/components/datastore-select: a <select> of a host's datastores with their free space. */
import { formatBytes } from './format.js';

export interface DatastoreChoice {
  name: string;
  /** Free space in bytes. */
  free_bytes: number;
}

/**
 * The labelled select, swapped by htmx (`#<id>`, outerHTML) when another host is chosen.
 * @param props.name the form field; props.error its first message, shown below.
 */
export function DatastoreSelect(props: {
  id: string;
  name: string;
  label: string;
  datastores: DatastoreChoice[];
  selected?: string;
  error?: string[];
}) {
  return (
    <label id={props.id}>
      {props.label}
      <select name={props.name} aria-invalid={props.error ? 'true' : undefined}>
        {props.datastores.map((d) => (
          <option value={d.name} selected={d.name === props.selected}>
            {d.name} ({formatBytes(d.free_bytes)})
          </option>
        ))}
      </select>
      {props.error && <small class="field-error">{props.error[0]}</small>}
    </label>
  );
}
