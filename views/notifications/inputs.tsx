/** @module views/notifications/inputs: the channel form's select and write-only secret inputs. */
import { Field } from '../components/field.js';
import { usePage } from '../page-context.js';

/** A `<select>` with its label and error. */
export function Select(props: {
  name: string;
  label: string;
  value?: string;
  options: Array<[string, string]>;
  error?: string[];
}) {
  return (
    <label for={`field-${props.name}`}>
      {props.label}
      <select id={`field-${props.name}`} name={props.name} aria-invalid={props.error ? 'true' : undefined}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.value === value}>
            {text}
          </option>
        ))}
      </select>
      {props.error && (
        <small class="field-error" data-testid={`error-${props.name}`}>
          {props.error[0]}
        </small>
      )}
    </label>
  );
}

/** A write-only secret: empty keeps the stored one, the box clears it. */
export function Secret(props: { name: string; label: string; saved: boolean; error?: string[] }) {
  const { t } = usePage();
  return (
    <div>
      <Field
        name={props.name}
        type="password"
        label={props.label}
        error={props.error}
        autocomplete="new-password"
        help={props.saved ? t('notify.secret.kept') : undefined}
      />
      {props.saved && (
        <label>
          <input type="checkbox" name={`${props.name}_clear`} /> {t('notify.secret.clear')}
        </label>
      )}
    </div>
  );
}
