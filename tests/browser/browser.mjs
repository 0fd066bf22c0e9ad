// Shared launch of Debian's Chromium for the browser tests. No browser is
// downloaded: playwright-core drives /usr/bin/chromium, and the flags keep
// it off the network (this machine has none, and tests must not need one).
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
