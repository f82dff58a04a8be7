// The first screen's state: the address being looked at and the outcome of the last fetch.
import type { StateCreator } from 'zustand';
import type { GetResourceResult } from '../../../shared/api/types';
import type { Api } from '../../../shared/api/contract';

export type ViewerSlice = {
  address: string;
  loading: boolean;
  result: GetResourceResult | null;
  setAddress(address: string): void;
  open(api: Api): Promise<void>;
};

export const createViewerSlice: StateCreator<ViewerSlice, [], [], ViewerSlice> = (set, get) => ({
  address: '',
  loading: false,
  result: null,
  setAddress: (address) => set({ address }),
  async open(api) {
    const url = get().address.trim();
    if (url === '') {
      set({ result: { kind: 'error', reason: 'invalid-input', message: 'Type the address of a JSON resource first.', url } });
      return;
    }
    set({ loading: true });
    try {
      set({ result: await api.getResource({ url }) });
    } catch (error) {
      set({ result: { kind: 'error', reason: 'network', message: `The app could not reach its backend: ${(error as Error).message}`, url } });
    } finally {
      set({ loading: false });
    }
  },
});
