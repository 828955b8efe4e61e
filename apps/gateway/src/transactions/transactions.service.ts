import { Injectable } from '@nestjs/common';
import type { Principal } from '@rabt/auth';
import { transactionView } from '@rabt/persistence';
import type { TransactionView } from '@rabt/sdk';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { TransactionsRepository } from './transactions.repository';

/** The operator (ita) sees every transaction. */
const OPERATOR = 'ita';

/** A cross-agency transaction as the workflow service keeps it, for the agencies party to it. */
@Injectable()
export class TransactionsService {
  constructor(private readonly repository: TransactionsRepository) {}

  async view(caller: Principal, id: string): Promise<TransactionView> {
    const record = await this.repository.read(id);
    if (!record) throw gatewayError(GatewayExceptionCode.TRANSACTION_NOT_FOUND, `no transaction with id ${id}`);
    const { transaction: tx } = record;
    if (caller.agency !== OPERATOR && !tx.parties.includes(caller.agency)) {
      throw gatewayError(GatewayExceptionCode.TRANSACTION_FORBIDDEN, `agency '${caller.agency}' is not party to transaction ${id} (parties: ${tx.parties.join(', ')})`);
    }
    return transactionView(record);
  }
}
