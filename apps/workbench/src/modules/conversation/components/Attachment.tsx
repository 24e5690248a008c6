import type { FileRef } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { formatBytes } from '../../../app/format.ts';
import { Button, Dialog, Icon } from '../../../ui/index.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

/**
 * A file or image of a message. Files are served only with the agent's token, so they are fetched
 * through the SDK and shown from a blob URL; the file name is text. An image opens full size in a
 * lightbox (Escape, the close button or the backdrop close it).
 */
export function Attachment({ file, isImage }: { file: FileRef; isImage: boolean }) {
  const client = useClient();
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [isEnlarged, setIsEnlarged] = useState(false);

  useEffect(() => {
    if (!isImage) return;
    let url: string | null = null;
    let isCurrent = true;
    void client.Chat.downloadFile({ url: file.url }).then((result) => {
      if (!isCurrent) return;
      if (result.status === 'success') {
        url = URL.createObjectURL(result.data);
        setObjectUrl(url);
      } else setFailed(true);
    });
    return () => {
      isCurrent = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [client, file.url, isImage]);

  async function download() {
    const result = await client.Chat.downloadFile({ url: file.url });
    if (result.status !== 'success') return setFailed(true);
    const url = URL.createObjectURL(result.data);
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <div className="wb-attachment">
      {isImage && objectUrl && (
        <button type="button" className="wb-attachment__thumb" onClick={() => setIsEnlarged(true)} aria-label={format(cs().openImage, { name: file.name })} data-testid="image-open">
          <img className="wb-attachment__image" src={objectUrl} alt={file.name} />
        </button>
      )}
      {isImage && objectUrl && (
        <Dialog
          isOpen={isEnlarged}
          title={file.name}
          onClose={() => setIsEnlarged(false)}
          className="wb-lightbox"
          footer={<Button onClick={() => void download()}>{cs().download}</Button>}
        >
          <img className="wb-lightbox__image" src={objectUrl} alt={file.name} data-testid="lightbox-image" />
        </Dialog>
      )}
      <button type="button" className="wb-attachment__file" onClick={() => void download()}>
        <Icon name={isImage ? 'image' : 'file'} />
        <span className="wb-attachment__name">{file.name}</span>
        <span className="wb-attachment__size">{formatBytes(file.sizeBytes)}</span>
      </button>
      {failed && <span className="wb-attachment__error">{cs().couldNotLoadFile}</span>}
    </div>
  );
}
