/** @module views/components/field: a labelled form input that shows its validation error in place. */

export interface FieldProps {
  name: string;
  label: string;
  value?: string | number | null;
  type?: string;
  error?: string[] | undefined;
  required?: boolean;
  placeholder?: string;
  help?: string;
  autocomplete?: string;
}

/** An <input> with label, `aria-invalid` and the first error message below it. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  return (
    <label for={id}>
      {props.label}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.error ? (
        <small id={`${id}-error`} class="field-error" data-testid={`error-${props.name}`}>
          {props.error[0]}
        </small>
      ) : (
        props.help && <small>{props.help}</small>
      )}
    </label>
  );
}
