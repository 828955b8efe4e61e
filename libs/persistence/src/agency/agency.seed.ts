import type { DataSource } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** The agencies of the first workflows (../shared/DESIGN.md), with their Arabic names. */
export const DEMO_AGENCIES: readonly Pick<AgencyEntity, 'code' | 'nameEn' | 'nameAr'>[] = [
  { code: 'mom', nameEn: 'Ministry of Labour (Manpower)', nameAr: 'وزارة العمل' },
  { code: 'rop', nameEn: 'Royal Oman Police', nameAr: 'شرطة عُمان السلطانية' },
  { code: 'moci', nameEn: 'Ministry of Commerce, Industry and Investment Promotion', nameAr: 'وزارة التجارة والصناعة وترويج الاستثمار' },
  { code: 'moh', nameEn: 'Ministry of Health', nameAr: 'وزارة الصحة' },
  { code: 'mm', nameEn: 'Muscat Municipality', nameAr: 'بلدية مسقط' },
  { code: 'epay', nameEn: 'Government e-Payment Gateway', nameAr: 'بوابة الدفع الإلكتروني الحكومية' },
  { code: 'ita', nameEn: 'Information Technology Authority (Rabt operator)', nameAr: 'هيئة تقنية المعلومات (مشغّل ربط)' },
];

/** Inserts the demo agencies that are missing; never changes existing ones. */
export async function seedAgencies(dataSource: DataSource): Promise<string[]> {
  const result = await dataSource
    .createQueryBuilder()
    .insert()
    .into(AgencyEntity)
    .values(DEMO_AGENCIES.map((a) => ({ ...a, status: 'active' as const })))
    .orIgnore()
    .returning(['code'])
    .execute();
  return (result.raw as { code: string }[]).map((r) => r.code);
}
