import { Outlet } from 'react-router';
import { PreferenceControls } from './preference-controls.js';

/** Pages for anyone (sign-in, sign-up, mailed links): the theme and language pickers above the page. */
export function PublicLayout() {
  return (
    <>
      <header className="top public">
        <PreferenceControls />
      </header>
      <Outlet />
    </>
  );
}
