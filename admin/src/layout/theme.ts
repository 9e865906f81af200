import { deepmerge } from '@mui/utils';
import { defaultLightTheme, type RaThemeOptions } from 'react-admin';
import { KeyboardDatagridBody } from '../resources/KeyboardRows';

// Colours chosen for WCAG AA (4.5:1 for text) on white, on the page's #fafafb and on the form toolbar's grey:
// React-Admin's default app bar (#2196f3, 3.1:1 under white text) and MUI's info and warning fail it.
const PRIMARY = '#1565c0';
const FOCUS = { outline: `2px solid ${PRIMARY}`, outlineOffset: -2 };

/**
 * The console's one theme: contrast, focus rings and wrapping are fixed here,
 * not page by page.
 */
export const theme: RaThemeOptions = deepmerge(defaultLightTheme, {
  palette: {
    primary: { main: PRIMARY, light: '#1976d2', dark: '#0d47a1', contrastText: '#fff' },
    secondary: { main: '#6a1b9a', light: '#9c27b0', dark: '#4a148c', contrastText: '#fff' },
    // Dark enough for outlined chips on a selected (tinted) row too.
    info: { main: '#01579b', light: '#0277bd', dark: '#003c6c', contrastText: '#fff' },
    warning: { main: '#92400e', light: '#b45309', dark: '#78350f', contrastText: '#fff' },
    success: { main: '#1b5e20', light: '#2e7d32', dark: '#0d3d12', contrastText: '#fff' },
    error: { main: '#c62828', dark: '#b71c1c', contrastText: '#fff' },
  },
  components: {
    // The app bar in the primary colour (5.8:1 under white text).
    RaAppBar: { defaultProps: { color: 'primary' } },
    // The skip link: React-Admin draws it white on the near-white page.
    RaSkipNavigationButton: {
      styleOverrides: {
        root: {
          backgroundColor: PRIMARY,
          color: '#fff',
          '&:hover': { backgroundColor: '#0d47a1', opacity: 1 },
        },
      },
    },
    // The save/delete toolbar: a lighter grey keeps red and blue buttons above 4.5:1.
    RaToolbar: { styleOverrides: { root: { backgroundColor: '#f5f5f5' } } },
    // No page wider than the window: React-Admin's layout grows to its widest content (min-width: fit-content);
    // here it keeps to the window, and what is wider (a table) scrolls in its own box and toolbars wrap.
    RaLayout: { styleOverrides: { root: { minWidth: 0, '& .RaLayout-content': { minWidth: 0 } } } },
    RaTopToolbar: { styleOverrides: { root: { flexWrap: 'wrap' } } },
    // An empty list's "No … yet" is text to read, not a disabled control: MUI's disabled grey is 2.6:1 (axe, WCAG AA).
    RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { color: 'rgba(0, 0, 0, 0.6)' } } } },
    // Every list's rows open their record with Tab and Enter, and show where the focus is.
    RaDatagrid: {
      defaultProps: { body: KeyboardDatagridBody },
      styleOverrides: {
        root: { '& .RaDatagrid-row:focus-visible': FOCUS, '& .RaDatagrid-tableWrapper': { overflowX: 'auto' } },
      },
    },
    // A disabled field's label stays readable (MUI's 38% grey is 2.6:1 on a disabled field).
    MuiFormLabel: { styleOverrides: { root: { '&.Mui-disabled': { color: 'rgba(0, 0, 0, 0.6)' } } } },
    // Tabs scroll rather than widen the page (an ICP has a dozen).
    MuiTabs: { defaultProps: { variant: 'scrollable', scrollButtons: 'auto', allowScrollButtonsMobile: true } },
    // Loading indicators have a name for screen readers.
    MuiCircularProgress: { defaultProps: { 'aria-label': 'Loading' } },
    MuiLinearProgress: { defaultProps: { 'aria-label': 'Loading' } },
    MuiButtonBase: { styleOverrides: { root: { '&.Mui-focusVisible': FOCUS } } },
    MuiLink: { styleOverrides: { root: { '&:focus-visible': FOCUS } } },
  },
});
