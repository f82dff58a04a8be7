import type { FormEvent } from 'react';
import { useDesk } from '../store';
import { api } from '../lib/api';

export function AddressBar() {
  const address = useDesk((s) => s.address);
  const loading = useDesk((s) => s.loading);
  const setAddress = useDesk((s) => s.setAddress);
  const open = useDesk((s) => s.open);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void open(api);
  };
  return (
    <form className="address-bar" onSubmit={submit} role="search">
      <label htmlFor="address" className="visually-hidden">Resource address</label>
      <input
        id="address"
        data-testid="address"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder="https://api.example.com/v1/items/42"
        value={address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <button type="submit" disabled={loading}>{loading ? 'Opening…' : 'Open'}</button>
    </form>
  );
}
