import { useMsal } from '@azure/msal-react';
import { attachmentLimits, type DriveItemRef } from '@gatehouse/contracts';
import {
  createPickerHost,
  newChannelId,
  type PickerHostEvent,
  pickerLaunch,
} from '@gatehouse/picker-protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import { RetryAlert } from '../../../components/ui/alert';
import { Dialog } from '../../../components/ui/dialog';
import { Spinner } from '../../../components/ui/spinner';
import '../attachments.css';

export type SharepointPickerDialogProps = {
  /** SHAREPOINT_BASE_URL from `GET /api/config`. */
  baseUrl: string;
  /** Starts attaching the picked files (by ids); a rejection's message is shown in the picker. */
  onPicked: (items: DriveItemRef[]) => Promise<void>;
  onClose: () => void;
  /** For tests: what happened on the picker's channel. */
  onHostEvent?: (event: PickerHostEvent) => void;
};

type Stage =
  | { status: 'token' }
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'failed'; message: string };

/** The picker's locale from the browser's language (`fr-FR` → `fr-fr`), as SharePoint spells it. */
function pickerLocale(): string {
  const language = typeof navigator === 'undefined' ? '' : navigator.language;
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/i.test(language) ? language.toLowerCase() : 'en-us';
}

/**
 * Microsoft's File Picker v8 in an iframe. A fresh channel id per opening; the first SharePoint token
 * comes through msal's `acquireTokenSilent` (the BFF, for the site only) and goes in a hidden form
 * POSTed into the frame, then leaves the DOM. Every later message goes through the protocol package:
 * `initialize` only from the SharePoint origin, this frame and this channel; commands answered there.
 */
export default function SharepointPickerDialog({
  baseUrl,
  onPicked,
  onClose,
  onHostEvent,
}: SharepointPickerDialogProps) {
  const { instance } = useMsal();
  const [channelId] = useState(newChannelId);
  const launch = useMemo(
    () =>
      pickerLaunch({
        baseUrl,
        hostOrigin: window.location.origin,
        channelId,
        maxItems: attachmentLimits.maxItems,
        locale: pickerLocale(),
      }),
    [baseUrl, channelId],
  );
  const frameName = `gh-picker-${channelId}`;
  const frameRef = useRef<HTMLIFrameElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const [stage, setStage] = useState<Stage>({ status: 'token' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef({ onPicked, onClose, onHostEvent });
  latest.current = { onPicked, onClose, onHostEvent };

  const tokenFor = (resource: string) =>
    instance.acquireTokenSilent({ scopes: [`${resource}/.default`] }).then((result) => result.accessToken);

  // The window listener is there before the form is posted, as the protocol asks.
  // biome-ignore lint/correctness/useExhaustiveDependencies: one host per opening (channel); callbacks are read through a ref.
  useEffect(() => {
    const host = createPickerHost({
      sharepointBaseUrl: baseUrl,
      channelId,
      pickerWindow: () => frameRef.current?.contentWindow ?? null,
      authenticate: tokenFor,
      pick: (items) => latest.current.onPicked(items),
      close: () => latest.current.onClose(),
      onEvent: (event) => {
        if (event.type === 'connected') setStage({ status: 'ready' });
        latest.current.onHostEvent?.(event);
      },
    });
    const onMessage = (event: MessageEvent) => {
      host.handleWindowMessage(event);
    };
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      host.dispose();
    };
  }, [baseUrl, channelId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: posts once per attempt.
  useEffect(() => {
    let cancelled = false;
    setStage({ status: 'token' });
    tokenFor(launch.pickerOrigin).then(
      (token) => {
        const form = formRef.current;
        const field = tokenRef.current;
        if (cancelled || !form || !field) return;
        field.value = token;
        form.submit();
        // The token has been sent; it does not stay in the page.
        field.value = '';
        setStage((current) => (current.status === 'ready' ? current : { status: 'loading' }));
      },
      (error: unknown) => {
        if (cancelled) return;
        setStage({
          status: 'failed',
          message:
            error instanceof Error && error.message
              ? error.message
              : 'Gatehouse could not get access to SharePoint for the picker.',
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, launch.pickerOrigin]);

  return (
    <Dialog
      title="Attach from SharePoint"
      description="Pick files; Gatehouse downloads them from SharePoint and attaches them to this conversation."
      onClose={onClose}
      size="lg"
    >
      <div className="gh-sp-picker">
        {stage.status === 'token' || stage.status === 'loading' ? (
          <div className="gh-sp-picker__status">
            <Spinner size="sm" label="Opening SharePoint…" />
          </div>
        ) : null}
        {stage.status === 'failed' ? (
          <RetryAlert title="SharePoint didn't open" onRetry={() => setAttempt((n) => n + 1)}>
            {stage.message}
          </RetryAlert>
        ) : null}
        <form
          ref={formRef}
          method="post"
          action={launch.action}
          target={frameName}
          className="gh-sp-picker__form"
          aria-hidden="true"
        >
          <input ref={tokenRef} type="hidden" name={launch.tokenField} defaultValue="" />
        </form>
        <iframe
          ref={frameRef}
          name={frameName}
          title="SharePoint file picker"
          className="gh-sp-picker__frame"
          hidden={stage.status === 'failed'}
          sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="strict-origin-when-cross-origin"
        />
      </div>
    </Dialog>
  );
}
