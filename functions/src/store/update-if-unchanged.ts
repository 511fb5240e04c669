import type { DocumentSnapshot, UpdateData } from "firebase-admin/firestore";

/** gRPC's FAILED_PRECONDITION: the document changed since it was read. */
const FAILED_PRECONDITION = 9;

/** Updates a document only if nothing wrote to it since `doc` was read; false if something did. */
export async function updateIfUnchanged(doc: DocumentSnapshot, data: UpdateData<object>) {
  try {
    await doc.ref.update(data, { lastUpdateTime: doc.updateTime });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === FAILED_PRECONDITION) return false;
    throw error;
  }
}
