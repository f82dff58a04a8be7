// One zustand store built from slices; components read it through selectors.
import { create } from 'zustand';
import { createViewerSlice, type ViewerSlice } from './viewer-slice';

export type DeskState = ViewerSlice;

export const useDesk = create<DeskState>()((...a) => ({
  ...createViewerSlice(...a),
}));
