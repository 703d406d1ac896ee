-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL DEFAULT '',
    "orgId" TEXT,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL DEFAULT '',
    "province" TEXT NOT NULL DEFAULT '',
    "povertyCounty" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "PriorityGroup" (
    "key" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PriorityGroup_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_at_idx" ON "AuditEntry"("orgId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_subjectType_subjectId_idx" ON "AuditEntry"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEntry_action_at_idx" ON "AuditEntry"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- Verification of organisations and experts. Those that exist already were set up by hand by
-- the platform's operators: they count as verified.
ALTER TABLE "ExpertProfile" ADD COLUMN "verifiedAt" TIMESTAMP(3);
ALTER TABLE "Organization" ADD COLUMN "verifiedAt" TIMESTAMP(3);
UPDATE "ExpertProfile" SET "verifiedAt" = "updatedAt";
UPDATE "Organization" SET "verifiedAt" = "createdAt";

-- The audit log is append-only: UPDATE and DELETE of an entry do nothing, whoever sends them.
-- (Rules, not a trigger: prisma migrate splits a script on every semicolon, so no plpgsql body.)
CREATE RULE "AuditEntry_no_update" AS ON UPDATE TO "AuditEntry" DO INSTEAD NOTHING;
CREATE RULE "AuditEntry_no_delete" AS ON DELETE TO "AuditEntry" DO INSTEAD NOTHING;

-- Reference data every installation starts with (admins edit and import more).
INSERT INTO "PriorityGroup" ("key", "nameZh", "nameEn", "sortOrder") VALUES
  ('poor_household', '建档立卡贫困户', 'Registered poor household', 10),
  ('poverty_county', '脱贫县（原国家扶贫开发工作重点县）户籍', 'Household registered in a designated poverty county', 20),
  ('epidemic_family', '受疫情影响家庭', 'Family affected by the epidemic', 30),
  ('epidemic_staff', '疫情防控一线人员及其子女', 'Epidemic-prevention staff and their children', 40),
  ('low_income', '农村低收入人口', 'Rural low-income population', 50);

INSERT INTO "Region" ("code", "name", "nameEn", "province", "povertyCounty", "updatedAt") VALUES
  ('522631', '黎平县', 'Liping County', '贵州省', true, now()),
  ('522632', '榕江县', 'Rongjiang County', '贵州省', true, now()),
  ('522633', '从江县', 'Congjiang County', '贵州省', true, now()),
  ('533323', '福贡县', 'Fugong County', '云南省', true, now()),
  ('533324', '贡山独龙族怒族自治县', 'Gongshan Derung and Nu Autonomous County', '云南省', true, now()),
  ('533325', '兰坪白族普米族自治县', 'Lanping Bai and Pumi Autonomous County', '云南省', true, now()),
  ('621121', '通渭县', 'Tongwei County', '甘肃省', true, now()),
  ('621122', '陇西县', 'Longxi County', '甘肃省', true, now()),
  ('621123', '渭源县', 'Weiyuan County', '甘肃省', true, now()),
  ('621126', '岷县', 'Min County', '甘肃省', true, now()),
  ('622926', '东乡族自治县', 'Dongxiang Autonomous County', '甘肃省', true, now()),
  ('513431', '昭觉县', 'Zhaojue County', '四川省', true, now()),
  ('513432', '喜德县', 'Xide County', '四川省', true, now()),
  ('513434', '越西县', 'Yuexi County', '四川省', true, now()),
  ('513436', '美姑县', 'Meigu County', '四川省', true, now()),
  ('513437', '雷波县', 'Leibo County', '四川省', true, now()),
  ('653222', '墨玉县', 'Moyu County', '新疆维吾尔自治区', true, now()),
  ('653223', '皮山县', 'Pishan County', '新疆维吾尔自治区', true, now()),
  ('130722', '张北县', 'Zhangbei County', '河北省', true, now()),
  ('130723', '康保县', 'Kangbao County', '河北省', true, now()),
  ('130724', '沽源县', 'Guyuan County', '河北省', true, now()),
  ('130725', '尚义县', 'Shangyi County', '河北省', true, now()),
  ('520102', '南明区', 'Nanming District', '贵州省', false, now()),
  ('530102', '五华区', 'Wuhua District', '云南省', false, now()),
  ('620102', '城关区', 'Chengguan District', '甘肃省', false, now()),
  ('510104', '锦江区', 'Jinjiang District', '四川省', false, now()),
  ('110105', '朝阳区', 'Chaoyang District', '北京市', false, now()),
  ('440305', '南山区', 'Nanshan District', '广东省', false, now());
