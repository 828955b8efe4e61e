import { Injectable } from '@nestjs/common';
import { PLATFORM_AGENCY, type Principal } from '@rabt/auth';
import { transactionView } from '@rabt/persistence';
import type { TransactionView } from '@rabt/sdk';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { TransactionsRepository } from './transactions.repository';

/** A cross-agency transaction as the workflow service keeps it, for the agencies party to it. */
@Injectable()
export class TransactionsService {
  constructor(private readonly repository: TransactionsRepository) {}

  async view(caller: Principal, id: string): Promise<TransactionView> {
    const record = await this.repository.read(id);
    // A transaction the caller is not party to is answered exactly like one that does not exist:
    // the answer must not tell a stranger that a transaction id is in use. The operator sees all.
    if (!record || (caller.agency !== PLATFORM_AGENCY && !record.transaction.parties.includes(caller.agency))) {
      throw gatewayError(GatewayExceptionCode.TRANSACTION_NOT_FOUND, `no transaction with id ${id} that agency '${caller.agency}' is party to`);
    }
    return transactionView(record);
  }
}
