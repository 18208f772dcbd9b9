import { escapeHtml } from '@platform/contracts';
import { type Block, type Brand, type MailContent, type RenderedEmail } from './content.js';

/*
 * The one place that turns content into markup. HTML mail clients ignore <style> blocks and most CSS,
 * so the HTML is a single centred table with inline styles; every string that reaches it goes through
 * escapeHtml, attribute values included.
 */

const FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;";
const TEXT_STYLE = `${FONT}font-size:16px;line-height:24px;color:#1f2933;margin:0 0 16px;`;
const NOTE_STYLE = `${FONT}font-size:13px;line-height:20px;color:#616e7c;margin:0 0 12px;`;
const BUTTON_STYLE =
  `${FONT}display:inline-block;padding:12px 24px;border-radius:6px;background:#2563eb;` +
  'color:#ffffff;font-size:16px;font-weight:600;text-decoration:none;';

/** Renders a template's content as the finished subject, plain text and HTML. */
export function renderLayout(content: MailContent, brand: Brand): RenderedEmail {
  return {
    subject: content.subject,
    text: renderText(content, brand),
    html: renderHtml(content, brand),
  };
}

function renderText(content: MailContent, brand: Brand): string {
  const body = content.blocks.map(blockText);
  const footer = [brand.productName, footerLine(brand)];
  if (brand.supportAddress) footer.push(`Questions? Write to ${brand.supportAddress}.`);
  return [`Hi ${content.greetingName},`, ...body, `-- \n${footer.join('\n')}`].join('\n\n') + '\n';
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'button':
      return `${block.label}:\n${block.url}`;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
  }
}

function renderHtml(content: MailContent, brand: Brand): string {
  const body = content.blocks.map(blockHtml).join('\n');
  const support = brand.supportAddress
    ? `<p style="${NOTE_STYLE}">Questions? Write to <a href="mailto:${escapeHtml(brand.supportAddress)}" ` +
      `style="color:#616e7c;">${escapeHtml(brand.supportAddress)}</a>.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f7fa;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(content.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f7fa;">
<tr><td align="center" style="padding:32px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:32px;">
<p style="${FONT}font-size:20px;font-weight:700;color:#1f2933;margin:0 0 24px;">${escapeHtml(brand.productName)}</p>
<p style="${TEXT_STYLE}">Hi ${escapeHtml(content.greetingName)},</p>
${body}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;">
<tr><td style="padding:16px 32px;">
<p style="${NOTE_STYLE}">${escapeHtml(footerLine(brand))}</p>
${support}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="${TEXT_STYLE}">${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p style="${NOTE_STYLE}">${escapeHtml(block.text)}</p>`;
    case 'button': {
      // The bare link under the button is for clients that block styled links and for readers who
      // want to see where it goes before clicking.
      const href = escapeHtml(block.url);
      return (
        `<p style="margin:8px 0 24px;"><a href="${href}" style="${BUTTON_STYLE}">${escapeHtml(block.label)}</a></p>\n` +
        `<p style="${NOTE_STYLE}">If the button does not work, copy this link into your browser:<br>` +
        `<a href="${href}" style="color:#2563eb;word-break:break-all;">${href}</a></p>`
      );
    }
    case 'facts': {
      const rows = block.rows
        .map(
          ([label, value]) =>
            `<tr><td style="${FONT}font-size:14px;color:#616e7c;padding:4px 16px 4px 0;">${escapeHtml(label)}</td>` +
            `<td style="${FONT}font-size:14px;color:#1f2933;padding:4px 0;">${escapeHtml(value)}</td></tr>`,
        )
        .join('\n');
      return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;">\n${rows}\n</table>`;
    }
  }
}

function footerLine(brand: Brand): string {
  return `You received this email because this address belongs to an account on ${brand.productName}.`;
}
