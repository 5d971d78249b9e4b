import { badRequest } from '../wire.js';
import { stringParam, type MethodHandler } from './context.js';

/** https://core.telegram.org/bots/api#getfile : "bots can download files of up to 20MB in size". */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

const getFile: MethodHandler = ({ state, bot, params }) => {
  const fileId = stringParam(params, 'file_id');
  if (!fileId) throw badRequest('parameter "file_id" is required');
  const file = state.files.get(fileId);
  // A file_id is only valid for the bot it was issued to.
  if (!file || file.botId !== bot.id) throw badRequest('invalid file_id');
  if (file.data.length > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
  return {
    result: {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.data.length,
      file_path: file.filePath,
    },
  };
};

export const fileMethods: Record<string, MethodHandler> = { getFile };
